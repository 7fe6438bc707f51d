import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { benchmarkCores } from '../executors/limits.js';
import { findExecutable } from '../executors/probe.js';
import { describeNoise, noiseToBmf } from './format.js';
import { ProbeTooShortError, probeBeforeJob } from './job-probe.js';
import { measureNoise } from './measure.js';
import { summarize } from './stats.js';

describe('summarize', () => {
  it('gives min, median, max and the CV in percent', () => {
    const s = summarize([10, 12, 8, 10]);
    expect(s).toMatchObject({ n: 4, min: 8, median: 10, max: 12, mean: 10 });
    // sd = sqrt(8/3)
    expect(s.cvPct).toBeCloseTo(10 * Math.sqrt(8 / 3));
    expect(summarize([5]).cvPct).toBeNaN();
  });
});

describe('measureNoise (on this machine, reading /proc only)', () => {
  it('times the fixed workload on the benchmark core, pinned, with what the kernel saw', async () => {
    const taskset = await findExecutable('taskset');
    const cpus = benchmarkCores(availableParallelism(), 1);
    const report = await measureNoise({ cpus, taskset, reps: 12, warmup: 2, jitterSamples: 5 });
    expect(report.cpus).toEqual(cpus);
    expect(report.pinned).toBe(Boolean(taskset) && availableParallelism() > 1);
    expect(report.unitMs.n).toBe(12);
    expect(report.unitMs.min).toBeGreaterThan(0);
    expect(report.unitMs.min).toBeLessThanOrEqual(report.unitMs.median);
    expect(report.unitMs.median).toBeLessThanOrEqual(report.unitMs.max);
    expect(Number.isFinite(report.cvPct)).toBe(true);
    expect(report.involuntaryContextSwitches).toBeGreaterThanOrEqual(0);
    expect(report.cores.stealPct).toBeGreaterThanOrEqual(0);
    expect(report.timerJitterUs.n).toBe(5);
    expect(report.truncated).toBe(false);
    expect(report.durationMs).toBeGreaterThan(12 * report.unitMs.min);

    const bmf = noiseToBmf(report);
    expect(bmf.noise.latency.value).toBeCloseTo(report.unitMs.median * 1e6);
    expect(bmf.noise['coefficient-of-variation'].value).toBeCloseTo(report.cvPct);
    expect(describeNoise(report, 1e9).join('\n')).toContain('(ok)');
    expect(describeNoise(report, 1e-9).join('\n')).toContain('ABOVE the limit');
  });

  it('more work per unit takes longer: the workload is real, not a sleep', async () => {
    const short = await measureNoise({ cpus: [0], reps: 5, warmup: 2, loops: 200_000, jitterSamples: 0 });
    const long = await measureNoise({ cpus: [0], reps: 5, warmup: 2, loops: 4_000_000, jitterSamples: 0 });
    expect(long.unitMs.min).toBeGreaterThan(5 * short.unitMs.min);
  });

  it('an absent /proc leaves the kernel figures unknown instead of failing', async () => {
    const report = await measureNoise({
      cpus: [0],
      reps: 3,
      warmup: 1,
      jitterSamples: 0,
      procRoot: '/nonexistent',
    });
    expect(report.cores.stealPct).toBeNull();
    expect(report.involuntaryContextSwitches).toBeNull();
    expect(report.load).toBeNull();
    expect(report.unitMs.n).toBe(3);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const pending = measureNoise({ cpus: [0], reps: 100_000, warmup: 0, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow(/aborted/);
  });
});

describe('the wall-clock cap', () => {
  it('ends a measurement whose budget would run far longer, keeping what it timed, and says so', async () => {
    const taskset = await findExecutable('taskset');
    const cpus = benchmarkCores(availableParallelism(), 1);
    const report = await measureNoise({
      cpus,
      taskset,
      reps: 100_000,
      budgetMs: 30_000,
      warmup: 2,
      jitterSamples: 5,
      // Generous: on a loaded machine the thread alone can take a second to start.
      capMs: 4000,
    });
    expect(report.truncated).toBe(true);
    // Without the cap the loop runs its 30 s budget.
    expect(report.durationMs).toBeLessThan(15_000);
    expect(report.unitMs.n).toBeGreaterThan(0);
    expect(report.unitMs.min).toBeGreaterThan(0);
  });

  it('does not wait for a thread that cannot stop: one unit longer than the cap', async () => {
    const started = performance.now();
    const report = await measureNoise({
      cpus: [0],
      reps: 5,
      warmup: 0,
      loops: 1e11,
      jitterSamples: 0,
      capMs: 200,
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(report.truncated).toBe(true);
    expect(report.unitMs.n).toBe(0);
  });

  it('the per-job probe sends a capped probe as truncated, and none at all from too few repetitions', async () => {
    const taskset = await findExecutable('taskset');
    const cpus = benchmarkCores(availableParallelism(), 1);
    const probe = await probeBeforeJob({
      cpus,
      taskset,
      budgetMs: 30_000,
      capMs: 4000,
      tuning: () => ['ksm'],
    });
    expect(probe.truncated).toBe(true);
    expect(probe.probeMs).toBeLessThan(15_000);
    expect(Number.isFinite(probe.cvPct)).toBe(true);
    expect(probe.tuning).toEqual(['ksm']);

    const full = await probeBeforeJob({ cpus, taskset, budgetMs: 30, capMs: 60_000, tuning: () => [] });
    expect(full.truncated).toBe(false);

    // 1 ms cannot even start the thread: a CV of 0 from no samples would call this host the quietest.
    await expect(
      probeBeforeJob({ cpus, taskset, budgetMs: 250, capMs: 1, tuning: () => [] }),
    ).rejects.toBeInstanceOf(ProbeTooShortError);
  });
});
