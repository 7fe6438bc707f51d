import { cut } from '../output/fit-table.js';
import type { RunPlan } from '../run/args.js';
import { type ExecuteDeps, executeRun, type RunSummary } from '../run/execute.js';
import { createRunStore, type RunStore } from './store.js';

const CLEAR_LINE = '\r\x1b[2K';

/**
 * The live `benchline run` screen. Ink and React take a while to load on a busy machine, so the run
 * starts at once and a one-line first frame (the active phase) is drawn by hand meanwhile; Ink then
 * takes over the same store and draws everything that happened.
 */
export async function runInteractive(
  plan: RunPlan,
  deps: Omit<ExecuteDeps, 'emit' | 'signal'>,
  out: NodeJS.WriteStream = process.stdout,
): Promise<RunSummary> {
  const store = createRunStore();
  const abort = new AbortController();
  const stopFirstFrame = drawFirstFrame(store, out);
  const ui = import('./render-run.js');
  // Without raw mode (stdin is not a terminal, or Ink is not there yet) Ctrl-C arrives as a signal.
  const onSigint = () => abort.abort();
  process.on('SIGINT', onSigint);
  const running = executeRun(plan, { ...deps, emit: store.dispatch, signal: abort.signal });
  // Awaited below; until then a failure must not count as unhandled.
  running.catch(() => {});
  try {
    const { mountRun } = await ui;
    stopFirstFrame();
    const app = mountRun(store, deps.client, () => abort.abort());
    try {
      return await running;
    } finally {
      await app.close();
    }
  } finally {
    stopFirstFrame();
    process.off('SIGINT', onSigint);
  }
}

/** The active phase on one line, redrawn as the store changes, until Ink is ready to draw. */
function drawFirstFrame(store: RunStore, out: NodeJS.WriteStream): () => void {
  let drawn = false;
  const draw = () => {
    const active = store.get().phases.findLast((p) => p.state === 'active');
    if (!active) return;
    const width = out.columns || 80;
    out.write(`${CLEAR_LINE}\x1b[36m⠋\x1b[39m ${cut(active.label, width - 3)}`);
    drawn = true;
  };
  const unsubscribe = store.subscribe(draw);
  draw();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    if (drawn) out.write(CLEAR_LINE);
  };
}
