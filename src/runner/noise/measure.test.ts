import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { benchmarkCores } from '../executors/limits.js';
import { findExecutable } from '../executors/probe.js';
import { describeNoise, noiseToBmf } from './format.js';
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
