import type { ReactNode } from 'react';
import { MeQuery } from '../api/documents.js';
import { setToken } from '../api/token.js';
import { useQuery, useToken } from '../api/use-query.js';
import { Link, navigate, paths } from '../router.js';

export function Layout({ children }: { children: ReactNode }) {
  const token = useToken();
  const me = useQuery(MeQuery, {}, { skip: !token });
  const signOut = () => {
    setToken(null);
    navigate(paths.projects());
  };
  return (
    <>
      <header className="topbar">
        <Link to={paths.projects()} className="brand">
          Benchline
        </Link>
        <nav>
          <Link to={paths.projects()}>Projects</Link>
        </nav>
        <div className="account" data-testid="account">
          {token && me.data?.me ? (
            <>
              <span data-testid="signed-in-as">{me.data.me.name}</span>
              <button type="button" className="link" onClick={signOut} data-testid="sign-out">
                Sign out
              </button>
            </>
          ) : token && me.error ? (
            <>
              <span className="muted">token rejected</span>
              <button type="button" className="link" onClick={signOut}>
                Sign out
              </button>
            </>
          ) : (
            <Link to={paths.login()} testId="sign-in">
              Sign in
            </Link>
          )}
        </div>
      </header>
      <main>{children}</main>
    </>
  );
}
