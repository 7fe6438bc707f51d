import { render } from 'ink';
import type { RunPlan } from '../run/args.js';
import { type ExecuteDeps, executeRun, type RunSummary } from '../run/execute.js';
import { cancelJob } from '../run/remote.js';
import { RunApp } from './RunApp.js';
import { createRunStore } from './store.js';

/** Runs with the live Ink screen; resolves when the run is over and the last frame is drawn. */
export async function runInteractive(
  plan: RunPlan,
  deps: Omit<ExecuteDeps, 'emit' | 'signal'>,
): Promise<RunSummary> {
  const store = createRunStore();
  const abort = new AbortController();
  const onCancelJob = (jobId: string) => {
    store.dispatch({ type: 'notice', at: Date.now(), text: `canceling job ${jobId}…` });
    cancelJob(deps.client, jobId).catch((error: unknown) => {
      store.dispatch({
        type: 'notice',
        at: Date.now(),
        text: `could not cancel: ${(error as Error).message}`,
      });
    });
  };
  const app = render(<RunApp store={store} onStop={() => abort.abort()} onCancelJob={onCancelJob} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  // Without raw mode (stdin is not a terminal) Ctrl-C arrives as a signal instead of a key.
  const onSigint = () => abort.abort();
  process.on('SIGINT', onSigint);
  try {
    return await executeRun(plan, { ...deps, emit: store.dispatch, signal: abort.signal });
  } finally {
    process.off('SIGINT', onSigint);
    await new Promise((resolve) => setTimeout(resolve, 50));
    app.unmount();
    await app.waitUntilExit();
  }
}
