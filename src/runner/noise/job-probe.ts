import type { NoiseInput } from '../../gql/graphql.js';
import { measureNoise } from './measure.js';

export interface JobProbeOptions {
  cpus: readonly number[];
  taskset?: string;
  /** Time spent on the timed loop (default 250 ms); warm-up and jitter add ≈ 40 ms. */
  budgetMs?: number;
  /** The host tuning in effect, sent along. */
  tuning: () => readonly string[];
  procRoot?: string;
}

export const DEFAULT_PROBE_MS = 250;

/**
 * The short probe a runner takes before each job, as sent with startJob: the same fixed loop as
 * `benchline noise`, within a time budget, plus the figures that explain a high CV.
 */
export async function probeBeforeJob(options: JobProbeOptions, signal?: AbortSignal): Promise<NoiseInput> {
  const report = await measureNoise({
    cpus: options.cpus,
    taskset: options.taskset,
    procRoot: options.procRoot,
    reps: 10_000,
    budgetMs: options.budgetMs ?? DEFAULT_PROBE_MS,
    warmup: 5,
    jitterSamples: 10,
    signal,
  });
  return {
    cvPct: Number.isFinite(report.cvPct) ? report.cvPct : 0,
    stealPct: report.cores.stealPct,
    load: report.load,
    involuntaryContextSwitches: report.involuntaryContextSwitches,
    probeMs: report.durationMs,
    tuning: [...options.tuning()],
  };
}
