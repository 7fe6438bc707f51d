import type { ReactNode } from 'react';
import { announce, useAnnouncement } from '../announce.js';
import { MeQuery } from '../api/documents.js';
import { setToken } from '../api/token.js';
import { useQuery, useToken } from '../api/use-query.js';
import { Link, navigate, paths } from '../router.js';

export function Layout({ children }: { children: ReactNode }) {
  const token = useToken();
  const me = useQuery(MeQuery, {}, { skip: !token });
  const announcement = useAnnouncement();
  const signOut = () => {
    setToken(null);
    // The button goes away with the token: the projects page's heading takes focus, also when
    // it is already the page shown.
    if (location.pathname === paths.projects()) document.querySelector<HTMLElement>('main h1')?.focus();
    else navigate(paths.projects());
    announce('Signed out');
  };
  return (
    <>
      <header className="topbar">
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <Link to={paths.projects()} className="brand">
          Benchline
        </Link>
        <nav aria-label="Main">
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
              <span>token rejected</span>
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
      <main id="main" tabIndex={-1}>
        {children}
        <div className="sr-only" role="status" aria-live="polite" data-testid="announcer">
          {announcement}
        </div>
      </main>
    </>
  );
}
