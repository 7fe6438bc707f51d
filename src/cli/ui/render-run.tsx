import { render } from 'ink';
import type { ApiClient } from '../api/client.js';
import { cancelJob } from '../run/remote.js';
import { RunApp } from './RunApp.js';
import type { RunStore } from './store.js';

export interface MountedRun {
  /** Draws the last frame and gives the terminal back. */
  close(): Promise<void>;
}

/** Mounts the Ink view of a run on its store; `stop` stops a local command or leaves a job running. */
export function mountRun(store: RunStore, client: ApiClient, stop: () => void): MountedRun {
  const onCancelJob = (jobId: string) => {
    store.dispatch({ type: 'notice', at: Date.now(), text: `canceling job ${jobId}…` });
    cancelJob(client, jobId).catch((error: unknown) => {
      store.dispatch({
        type: 'notice',
        at: Date.now(),
        text: `could not cancel: ${(error as Error).message}`,
      });
    });
  };
  const app = render(<RunApp store={store} onStop={stop} onCancelJob={onCancelJob} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    async close() {
      // The last state change renders on React's schedule; unmount writes that last frame out.
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
