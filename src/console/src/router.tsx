import { type MouseEvent, type ReactNode, useSyncExternalStore } from 'react';
import { requestPageFocus } from './page-focus.js';

// A tiny router on the history API: the console has seven routes and needs nothing more.

const listeners = new Set<() => void>();
let lastPath = typeof location !== 'undefined' ? location.pathname : '/';

function notify() {
  for (const listener of listeners) listener();
}

if (typeof window !== 'undefined')
  window.addEventListener('popstate', () => {
    // A jump to an anchor on the same page (#perf-points) fires popstate too; it is no new page.
    if (location.pathname !== lastPath) requestPageFocus();
    lastPath = location.pathname;
    notify();
  });

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const currentHref = () => location.pathname + location.search;

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentHref()) return;
  if (options.replace) history.replaceState(null, '', to);
  else {
    history.pushState(null, '', to);
    requestPageFocus();
  }
  lastPath = location.pathname;
  window.scrollTo(0, 0);
  notify();
}

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, currentHref, () => '/');
  const url = new URL(href, 'http://console');
  return { path: url.pathname.replace(/\/+$/, '') || '/', query: url.searchParams };
}

export type Route =
  | { name: 'projects' }
  | { name: 'login' }
  | { name: 'project'; slug: string }
  | { name: 'job'; slug: string; id: string }
  | { name: 'report'; slug: string; id: string }
  | { name: 'perf'; slug: string }
  | { name: 'runner'; slug: string }
  | { name: 'not-found' };

export function match(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'projects' };
  if (parts.length === 1 && parts[0] === 'login') return { name: 'login' };
  if (parts.length === 2 && parts[0] === 'runners') return { name: 'runner', slug: parts[1] };
  if (parts[0] !== 'projects' || parts.length < 2) return { name: 'not-found' };
  const slug = parts[1];
  if (parts.length === 2) return { name: 'project', slug };
  if (parts.length === 3 && parts[2] === 'perf') return { name: 'perf', slug };
  if (parts.length === 4 && parts[2] === 'jobs') return { name: 'job', slug, id: parts[3] };
  if (parts.length === 4 && parts[2] === 'reports') return { name: 'report', slug, id: parts[3] };
  return { name: 'not-found' };
}

export const paths = {
  projects: () => '/',
  login: () => '/login',
  project: (slug: string) => `/projects/${encodeURIComponent(slug)}`,
  job: (slug: string, id: string) => `/projects/${encodeURIComponent(slug)}/jobs/${encodeURIComponent(id)}`,
  report: (slug: string, id: string) =>
    `/projects/${encodeURIComponent(slug)}/reports/${encodeURIComponent(id)}`,
  runner: (slug: string) => `/runners/${encodeURIComponent(slug)}`,
  perf: (slug: string, query?: URLSearchParams) =>
    `/projects/${encodeURIComponent(slug)}/perf${query?.toString() ? `?${query}` : ''}`,
};

export function Link(props: { to: string; children: ReactNode; className?: string; testId?: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={props.to} onClick={onClick} className={props.className} data-testid={props.testId}>
      {props.children}
    </a>
  );
}
