import type { NoiseInput } from '../../gql/graphql.js';
import { measureNoise } from './measure.js';

export interface JobProbeOptions {
  cpus: readonly number[];
  taskset?: string;
  /** The nice value jobs start at: the probe's thread takes it too. */
  nice?: number;
  /** Time spent on the timed loop (default 250 ms); warm-up and jitter add ≈ 40 ms. */
  budgetMs?: number;
  /**
   * The most the whole probe may take, wall clock (default DEFAULT_PROBE_CAP_MS): on a loaded host a
   * thread waiting for a core stretches the budget many times over, and a job must not wait on it.
   */
  capMs?: number;
  /** The host tuning in effect, sent along. */
  tuning: () => readonly string[];
  procRoot?: string;
}

export const DEFAULT_PROBE_MS = 250;
export const DEFAULT_PROBE_CAP_MS = 1000;
/** Fewer timed repetitions than this make no CV worth sending (one or two say nothing about spread). */
export const MIN_PROBE_REPS = 3;

/** A probe the cap left with too few repetitions for a CV: the job runs without one. */
export class ProbeTooShortError extends Error {}

/**
 * The short probe a runner takes before each job, as sent with startJob: the same fixed loop as
 * `benchline noise`, within a time budget and a wall-clock cap, plus the figures that explain a high CV.
 */
export async function probeBeforeJob(options: JobProbeOptions, signal?: AbortSignal): Promise<NoiseInput> {
  const capMs = options.capMs ?? DEFAULT_PROBE_CAP_MS;
  const report = await measureNoise({
    cpus: options.cpus,
    taskset: options.taskset,
    nice: options.nice,
    procRoot: options.procRoot,
    reps: 10_000,
    budgetMs: options.budgetMs ?? DEFAULT_PROBE_MS,
    warmup: 5,
    jitterSamples: 10,
    capMs,
    signal,
  });
  // A CV of 0 from one sample would rank this runner the quietest: no figure is better than that one.
  if (report.unitMs.n < MIN_PROBE_REPS || !Number.isFinite(report.cvPct)) {
    throw new ProbeTooShortError(
      `the ${capMs} ms cap left ${report.unitMs.n} timed repetition(s), fewer than ${MIN_PROBE_REPS}: ` +
        'this host is too loaded to measure; raise --noise-probe-cap-ms or free the benchmark cores',
    );
  }
  return {
    cvPct: report.cvPct,
    stealPct: report.cores.stealPct,
    load: report.load,
    involuntaryContextSwitches: report.involuntaryContextSwitches,
    probeMs: report.durationMs,
    truncated: report.truncated,
    tuning: [...options.tuning()],
  };
}
