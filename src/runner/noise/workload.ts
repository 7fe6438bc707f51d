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
  /** Where the thread reads its own context switches (`<procRoot>/thread-self/status`). */
  procRoot: string;
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
}

export const UNIT_LOOPS = 3_000_000;

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
  let pinned = false;
  if (o.taskset && o.cpus.length > 0) {
    try {
      const tid = fs.readlinkSync('/proc/thread-self').split('/').pop();
      childProcess.execFileSync(o.taskset, ['-p', '-c', o.cpus.join(','), tid], { stdio: 'ignore' });
      pinned = true;
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
  for (let k = 0; k < o.warmup; k++) sink ^= unit(o.loops);
  const before = switches();
  const samplesMs = [];
  const begun = process.hrtime.bigint();
  for (let k = 0; k < o.reps; k++) {
    if (o.budgetMs && k >= 3 && Number(process.hrtime.bigint() - begun) / 1e6 >= o.budgetMs) break;
    const t0 = process.hrtime.bigint();
    sink ^= unit(o.loops);
    samplesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const after = switches();
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const jitterUs = [];
  for (let k = 0; k < o.jitterSamples; k++) {
    const t0 = process.hrtime.bigint();
    Atomics.wait(cell, 0, 0, o.jitterSleepMs);
    jitterUs.push(Math.max(0, Number(process.hrtime.bigint() - t0) / 1e3 - o.jitterSleepMs * 1000));
  }
  parentPort.postMessage({
    samplesMs,
    jitterUs,
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
  const worker = new Worker(source, {
    eval: true,
    workerData: { ...options, cpus: [...options.cpus] },
  });
  return new Promise<WorkloadResult>((resolve, reject) => {
    const onAbort = () => void worker.terminate().then(() => reject(new Error('noise measurement aborted')));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: WorkloadResult & { sink: number }) => {
      signal?.removeEventListener('abort', onAbort);
      const { sink: _sink, ...result } = message;
      resolve(result);
    });
    worker.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
  }).finally(() => void worker.terminate());
}
