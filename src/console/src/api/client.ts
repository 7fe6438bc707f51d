import { type Client, createClient } from 'graphql-ws';
import { type Document, sourceOf } from './document.js';
import { getToken, onTokenChange } from './token.js';

/** A GraphQL error with the server's machine-readable code (NOT_FOUND, FORBIDDEN, …). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface RawError {
  message: string;
  extensions?: { code?: string };
}

function toError(errors: readonly RawError[]): ApiError {
  return new ApiError(errors.map((e) => e.message).join('; '), errors[0]?.extensions?.code);
}

function authorization(): Record<string, string> {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

export async function request<TResult, TVariables>(
  document: Document<TResult, TVariables>,
  variables?: TVariables,
  token?: string,
): Promise<TResult> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : authorization()),
    },
    body: JSON.stringify({ query: sourceOf(document), variables }),
  });
  const body = (await res.json().catch(() => null)) as { data?: TResult; errors?: RawError[] } | null;
  if (!body) throw new ApiError(`the server answered ${res.status}`, undefined);
  if (body.errors?.length) throw toError(body.errors);
  return body.data as TResult;
}

let ws: Client | null = null;
const reconnectListeners = new Set<() => void>();

/** Called after the live connection came back: events may have been missed meanwhile, so re-read. */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

function wsClient(): Client {
  if (!ws) {
    const url = new URL('/graphql', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = createClient({
      url: url.toString(),
      lazy: true,
      connectionParams: () => authorization(),
      // A console left open must survive server restarts and flaky networks.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: (retries) => new Promise((r) => setTimeout(r, Math.min(250 * 2 ** retries, 10_000))),
    });
    ws.on('connected', (_socket, _payload, wasRetry) => {
      if (wasRetry) for (const listener of reconnectListeners) listener();
    });
  }
  return ws;
}

// A new token means new permissions: reconnect so subscriptions re-authenticate.
onTokenChange(() => {
  const old = ws;
  ws = null;
  void old?.dispose();
});

export interface SubscriptionSink<TResult> {
  next(data: TResult): void;
  error?(error: ApiError): void;
  complete?(): void;
}

/**
 * Subscribes over graphql-ws. `variables` is read again on every (re)subscribe, so a getter can
 * move a cursor forward and a reconnect resumes where the stream left off.
 */
export function subscribe<TResult, TVariables>(
  document: Document<TResult, TVariables>,
  variables: () => TVariables,
  sink: SubscriptionSink<TResult>,
): () => void {
  const query = sourceOf(document);
  const payload = {
    query,
    get variables() {
      return variables() as Record<string, unknown>;
    },
  };
  return wsClient().subscribe<TResult>(payload, {
    next: (result) => {
      if (result.errors?.length) sink.error?.(toError(result.errors as RawError[]));
      else if (result.data) sink.next(result.data);
    },
    error: (error) => {
      const errors = Array.isArray(error) ? (error as RawError[]) : [{ message: String(error) }];
      sink.error?.(toError(errors));
    },
    complete: () => sink.complete?.(),
  });
}

/** For tests and for the curious: drop the live connection as a network failure would. */
export function dropConnection(): void {
  ws?.terminate();
}

declare global {
  interface Window {
    __benchline?: { dropConnection(): void };
  }
}
if (typeof window !== 'undefined') window.__benchline = { dropConnection };
