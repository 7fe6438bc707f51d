import { useSyncExternalStore } from 'react';

// One polite live region for the whole console (rendered by Layout): what changed without the
// reader moving there — a dismissal, a cancel, a sign-in, a job's new status.

let message = '';
const listeners = new Set<() => void>();

export function announce(text: string): void {
  // The same words twice in a row would not be read again: make the second differ invisibly.
  message = text === message ? `${text}\u00a0` : text;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useAnnouncement(): string {
  return useSyncExternalStore(
    subscribe,
    () => message,
    () => '',
  );
}
