import { hostname } from 'node:os';
import { type CoreActivity, coreActivity, snapshot } from './proc.js';
import { type Summary, summarize } from './stats.js';
import { runWorkload, UNIT_LOOPS } from './workload.js';

export interface NoiseOptions {
  /** Cores measured: the benchmark cores jobs are pinned to. */
  cpus: readonly number[];
  taskset?: string;
  /** The nice value jobs start at, so the probe meets the noise a job would (undefined: unchanged). */
  nice?: number;
  procRoot?: string;
  reps?: number;
  /** Stop the timed repetitions after this long (the per-job probe's budget). */
  budgetMs?: number;
  warmup?: number;
  loops?: number;
  jitterSamples?: number;
  jitterSleepMs?: number;
  /** A wall-clock cap on the whole measurement; what was timed by then is kept (`truncated`). */
  capMs?: number;
  signal?: AbortSignal;
}

export interface NoiseReport {
  host: string;
  cpus: number[];
  /** Whether the workload really ran pinned to `cpus` (taskset present and allowed). */
  pinned: boolean;
  loops: number;
  /** Wall time of one unit of the fixed workload, in milliseconds. */
  unitMs: Summary;
  cvPct: number;
  involuntaryContextSwitches: number | null;
  /** Steal, busy share and interrupt rate on `cpus` while the workload ran. */
  cores: CoreActivity;
  /** How late a 1 ms sleep woke up, in microseconds. */
  timerJitterUs: Summary;
  /** The 1-minute load average at the end. */
  load: number | null;
  /** How long the measurement took, start to end. */
  durationMs: number;
  /** The cap (`capMs`) ended it before its repetitions or sleeps were done: fewer samples than asked. */
  truncated: boolean;
}

/** Defaults for `benchline noise`: ~0.6 s of work; the per-job probe asks for fewer repetitions. */
export const NOISE_DEFAULTS = { reps: 100, warmup: 10, jitterSamples: 50, jitterSleepMs: 1 } as const;

/**
 * Measures this host's noise as a job would meet it: a fixed CPU-bound loop repeated on the benchmark
 * cores (its CV is the headline), with what the kernel says happened on those cores meanwhile.
 */
export async function measureNoise(options: NoiseOptions): Promise<NoiseReport> {
  const procRoot = options.procRoot ?? '/proc';
  const loops = options.loops ?? UNIT_LOOPS;
  const started = performance.now();
  const before = await snapshot(procRoot);
  const result = await runWorkload(
    {
      reps: options.reps ?? NOISE_DEFAULTS.reps,
      budgetMs: options.budgetMs,
      warmup: options.warmup ?? NOISE_DEFAULTS.warmup,
      loops,
      jitterSamples: options.jitterSamples ?? NOISE_DEFAULTS.jitterSamples,
      jitterSleepMs: options.jitterSleepMs ?? NOISE_DEFAULTS.jitterSleepMs,
      cpus: options.cpus,
      taskset: options.taskset,
      nice: options.nice,
      procRoot,
      capMs:
        options.capMs === undefined ? undefined : Math.max(0, options.capMs - (performance.now() - started)),
    },
    options.signal,
  );
  const after = await snapshot(procRoot);
  const unitMs = summarize(result.samplesMs);
  return {
    host: hostname(),
    cpus: [...options.cpus],
    pinned: result.pinned,
    loops,
    unitMs,
    cvPct: unitMs.cvPct,
    involuntaryContextSwitches: result.involuntaryContextSwitches,
    cores: coreActivity(before, after, options.cpus),
    timerJitterUs: summarize(result.jitterUs),
    load: after.load?.one ?? null,
    durationMs: performance.now() - started,
    truncated: result.truncated,
  };
}
