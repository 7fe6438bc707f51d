import { type FormEvent, useRef, useState } from 'react';
import { announce } from '../announce.js';
import { ApiError, request } from '../api/client.js';
import { MeQuery } from '../api/documents.js';
import { setToken } from '../api/token.js';
import { PageHeading } from '../components/PageHeading.js';
import { navigate, paths } from '../router.js';

export function LoginPage() {
  const [token, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // Check the token before keeping it, so a typo is caught here rather than on every page.
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { me } = await request(MeQuery, {}, token.trim());
      if (!me) throw new ApiError('that token is not valid', 'UNAUTHENTICATED');
      setToken(token.trim());
      announce(`Signed in as ${me.name}`);
      navigate(paths.projects());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      // Back to the field to correct it; the error is read out (role=alert) and tied to it.
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <PageHeading title="Sign in" />
      <p id="token-help">
        Paste an API token; it stays in this browser only. Public projects are readable without one.
      </p>
      <p className="muted">
        The server prints the <code>admin</code> user's token on its first start, and{' '}
        <code>benchline admin token</code> (run next to the server, on its database) makes another. The CLI
        signs in with the same token: <code>benchline auth login --token …</code>.
      </p>
      <form onSubmit={submit} className="form">
        <label>
          API token
          <input
            ref={input}
            type="password"
            value={token}
            onChange={(e) => setValue(e.target.value)}
            autoComplete="off"
            data-testid="token-input"
            aria-describedby={error ? 'token-help login-error' : 'token-help'}
            aria-invalid={error ? true : undefined}
            required
          />
        </label>
        <button type="submit" disabled={busy || !token.trim()} data-testid="token-submit">
          Sign in
        </button>
        {error && (
          <div className="error" role="alert" id="login-error" data-testid="login-error">
            {error}
          </div>
        )}
      </form>
    </section>
  );
}
