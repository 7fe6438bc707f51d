import { type FormEvent, useState } from 'react';
import { ApiError, request } from '../api/client.js';
import { MeQuery } from '../api/documents.js';
import { setToken } from '../api/token.js';
import { navigate, paths } from '../router.js';

export function LoginPage() {
  const [token, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  // Check the token before keeping it, so a typo is caught here rather than on every page.
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { me } = await request(MeQuery, {}, token.trim());
      if (!me) throw new ApiError('that token is not valid', 'UNAUTHENTICATED');
      setToken(token.trim());
      navigate(paths.projects());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <p className="muted">
        Paste an API token (<code>benchline token create</code>). It stays in this browser only. Public
        projects are readable without one.
      </p>
      <form onSubmit={submit} className="form">
        <label>
          API token
          <input
            type="password"
            value={token}
            onChange={(e) => setValue(e.target.value)}
            autoComplete="off"
            data-testid="token-input"
            required
          />
        </label>
        <button type="submit" disabled={busy || !token.trim()} data-testid="token-submit">
          Sign in
        </button>
        {error && (
          <div className="error" data-testid="login-error">
            {error}
          </div>
        )}
      </form>
    </section>
  );
}
