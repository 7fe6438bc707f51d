import { LineSplitter } from '../run/lines.js';
import { initialRunState, type RunState, reduceRun } from '../run/state.js';
import type { RunEvent } from '../run/types.js';

/** Run events folded into state outside React, read with useSyncExternalStore. */
export function createRunStore() {
  const splitter = new LineSplitter();
  const listeners = new Set<() => void>();
  let state = initialRunState();
  return {
    get: (): RunState => state,
    dispatch(event: RunEvent) {
      state = reduceRun(state, event, splitter);
      for (const listener of listeners) listener();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type RunStore = ReturnType<typeof createRunStore>;
