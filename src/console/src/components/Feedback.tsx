import type { ApiError } from '../api/client.js';
import { PageHeading } from './PageHeading.js';

export function Loading() {
  return (
    <p className="muted" role="status" data-testid="loading">
      Loading…
    </p>
  );
}

/** An error, read out by screen readers as it appears (role=alert). */
export function ErrorNote({ error, hint }: { error: ApiError | string; hint?: string }) {
  const message = typeof error === 'string' ? error : error.message;
  const code = typeof error === 'string' ? undefined : error.code;
  return (
    <div className="error" role="alert" data-testid="error" data-code={code}>
      {code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' || code === 'NOT_FOUND'
        ? `${message} — ${hint ?? 'if this project is private, sign in with a token that can read it.'}`
        : message}
    </div>
  );
}

/** A page that could not be shown: still a titled page with a heading, then the reason. */
export function PageError(props: { title: string; error: ApiError | string; hint?: string }) {
  return (
    <section data-testid="page-error">
      <PageHeading title={props.title} />
      <ErrorNote error={props.error} hint={props.hint} />
    </section>
  );
}
