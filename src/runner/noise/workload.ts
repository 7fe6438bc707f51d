import { Worker } from 'node:worker_threads';

export interface WorkloadOptions {
  /** Timed repetitions of the unit of work (the most, with a budget). */
  reps: number;
  /** Stop repeating once this much time has gone into the timed repetitions (at least 3 are run). */
  budgetMs?: number;
  /** Untimed repetitions first, so the JIT has compiled the loop before it is timed. */
  warmup: number;
  /** Iterations of the integer loop per repetition; fixed, so figures compare across hosts (≈ 5 ms here). */
  loops: number;
  /** Sleeps timed for the timer-jitter figure. */
  jitterSamples: number;
  jitterSleepMs: number;
  /** Cores the measuring thread pins itself to (taskset on its own thread id); empty: unpinned. */
  cpus: readonly number[];
  taskset?: string;
  /** The nice value the measuring thread takes, as a job would start at (undefined: unchanged). */
  nice?: number;
  /** Where the thread reads its own context switches (`<procRoot>/thread-self/status`). */
  procRoot: string;
  /**
   * A wall-clock cap on the whole run, thread start included: at it the thread is told to stop between
   * two units, and if it cannot (it got no core, or one unit outlasts the cap) it is terminated shortly
   * after. Either way the units and sleeps timed so far are kept and the result says `truncated`.
   */
  capMs?: number;
}

export interface WorkloadResult {
  /** Wall time of each timed repetition, in milliseconds. */
  samplesMs: number[];
  /** How late each timed sleep woke up, in microseconds. */
  jitterUs: number[];
  pinned: boolean;
  /** The measuring thread's context switches during the timed repetitions (null where unreadable). */
  involuntaryContextSwitches: number | null;
  voluntaryContextSwitches: number | null;
  /** The cap ended the run before its repetitions (or its budget) and its sleeps were done. */
  truncated: boolean;
}

export const UNIT_LOOPS = 3_000_000;

/** After the cap, how long a thread told to stop may take to answer before it is terminated. */
const STOP_GRACE_MS = 50;
/** Slots for the timed repetitions and sleeps in shared memory (a probe's budget spends far fewer). */
const MAX_SAMPLES = 100_000;

/**
 * Memory both threads see: the thread writes each sample as soon as it is timed, so whatever a cap cuts
 * short is still readable here; the runner sets `stop` at the cap.
 */
function sharedState(reps: number, jitterSamples: number) {
  const samples = Math.min(reps, MAX_SAMPLES);
  const jitter = Math.min(jitterSamples, MAX_SAMPLES);
  return {
    // [stop, samples written, jitter samples written, how it ended: 0 running, 1 finished, 2 stopped]
    control: new SharedArrayBuffer(4 * 4),
    samplesMs: new SharedArrayBuffer(Math.max(1, samples) * 8),
    jitterUs: new SharedArrayBuffer(Math.max(1, jitter) * 8),
    reps: samples,
    jitterSamples: jitter,
  };
}

/**
 * Runs in its own thread, in plain JavaScript (eval), so it needs no loader under tsx or vitest and
 * the runner's own isolate (its GC, its timers) stays on the runner's core.
 */
// An eval'd worker is a CommonJS script: require, not import.
function workloadThread() {
  const { workerData, parentPort } = require('node:worker_threads');
  const fs = require('node:fs');
  const childProcess = require('node:child_process');
  const o = workerData;
  const control = new Int32Array(o.shared.control);
  const sharedSamples = new Float64Array(o.shared.samplesMs);
  const sharedJitter = new Float64Array(o.shared.jitterUs);
  // Set when a loop ends because the runner said stop: the result is then truncated.
  let cut = false;
  const stopped = () => {
    if (Atomics.load(control, 0) !== 0) cut = true;
    return cut;
  };
  let pinned = false;
  if (o.taskset && o.cpus.length > 0) {
    try {
      const tid = fs.readlinkSync('/proc/thread-self').split('/').pop();
      childProcess.execFileSync(o.taskset, ['-p', '-c', o.cpus.join(','), tid], { stdio: 'ignore' });
      pinned = true;
    } catch {}
  }
  if (o.nice !== undefined) {
    try {
      // setpriority(2) on a thread id sets that thread's nice value alone (Linux).
      require('node:os').setPriority(Number(fs.readlinkSync('/proc/thread-self').split('/').pop()), o.nice);
    } catch {}
  }
  const switches = () => {
    try {
      const text = fs.readFileSync(`${o.procRoot}/thread-self/status`, 'utf8');
      const v = /^voluntary_ctxt_switches:\s*(\d+)/m.exec(text);
      const i = /^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(text);
      return v && i ? { v: Number(v[1]), i: Number(i[1]) } : null;
    } catch {
      return null;
    }
  };
  // xorshift32 summed: integer-only, no allocation, no memory traffic, so only the core's time counts.
  const unit = (n: number) => {
    let x = 0x9e3779b9 | 0;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      acc = (acc + (x & 0xffff)) | 0;
    }
    return acc;
  };
  let sink = 0;
  for (let k = 0; k < o.warmup && !stopped(); k++) sink ^= unit(o.loops);
  const before = switches();
  const begun = process.hrtime.bigint();
  let n = 0;
  for (; n < o.shared.reps && !stopped(); n++) {
    if (o.budgetMs && n >= 3 && Number(process.hrtime.bigint() - begun) / 1e6 >= o.budgetMs) break;
    const t0 = process.hrtime.bigint();
    sink ^= unit(o.loops);
    sharedSamples[n] = Number(process.hrtime.bigint() - t0) / 1e6;
    Atomics.store(control, 1, n + 1);
  }
  const after = switches();
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let k = 0; k < o.shared.jitterSamples && !stopped(); k++) {
    const t0 = process.hrtime.bigint();
    Atomics.wait(cell, 0, 0, o.jitterSleepMs);
    sharedJitter[k] = Math.max(0, Number(process.hrtime.bigint() - t0) / 1e3 - o.jitterSleepMs * 1000);
    Atomics.store(control, 2, k + 1);
  }
  Atomics.store(control, 3, cut ? 2 : 1);
  parentPort.postMessage({
    pinned,
    involuntaryContextSwitches: before && after ? after.i - before.i : null,
    voluntaryContextSwitches: before && after ? after.v - before.v : null,
    sink,
  });
}

/** Runs the fixed workload on a fresh thread pinned to `cpus` and returns its timings. */
export function runWorkload(options: WorkloadOptions, signal?: AbortSignal): Promise<WorkloadResult> {
  // Transpilers (tsx, vitest) may wrap the function's inner functions in a naming helper it would lack.
  const source = `const __name = (f) => f; (${workloadThread.toString()})()`;
  const shared = sharedState(options.reps, options.jitterSamples);
  const control = new Int32Array(shared.control);
  const worker = new Worker(source, {
    eval: true,
    workerData: { ...options, cpus: [...options.cpus], shared },
  });
  /** The samples timed so far, read from shared memory: all of them once the thread has answered. */
  const collected = (
    answer: Omit<WorkloadResult, 'samplesMs' | 'jitterUs' | 'truncated'>,
  ): WorkloadResult => {
    const samples = Atomics.load(control, 1);
    const jitter = Atomics.load(control, 2);
    return {
      ...answer,
      samplesMs: Array.from(new Float64Array(shared.samplesMs, 0, samples)),
      jitterUs: Array.from(new Float64Array(shared.jitterUs, 0, jitter)),
      // Anything but finishing on its own (the budget or every repetition done) is the cap's doing.
      truncated: Atomics.load(control, 3) !== 1,
    };
  };
  return new Promise<WorkloadResult>((resolve, reject) => {
    let hardStop: NodeJS.Timeout | undefined;
    const cap =
      options.capMs === undefined
        ? undefined
        : setTimeout(() => {
            Atomics.store(control, 0, 1);
            // A thread that cannot see the flag (no core, or inside one long unit) is not waited for.
            hardStop = setTimeout(() => {
              cleanup();
              void worker.terminate();
              resolve(
                collected({
                  pinned: false,
                  involuntaryContextSwitches: null,
                  voluntaryContextSwitches: null,
                }),
              );
            }, STOP_GRACE_MS);
          }, options.capMs);
    const cleanup = () => {
      clearTimeout(cap);
      clearTimeout(hardStop);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      cleanup();
      // Not waiting for terminate(): one asked while the thread is still starting may not answer soon.
      void worker.terminate();
      reject(new Error('noise measurement aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once(
      'message',
      (message: Omit<WorkloadResult, 'samplesMs' | 'jitterUs' | 'truncated'> & { sink: number }) => {
        cleanup();
        const { sink: _sink, ...answer } = message;
        resolve(collected(answer));
      },
    );
    worker.once('error', (error) => {
      cleanup();
      reject(error);
    });
  }).finally(() => void worker.terminate());
}
