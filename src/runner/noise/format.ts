import type { NoiseReport } from './measure.js';

type BmfMetric = { value: number; lower_value?: number; upper_value?: number };

const finite = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/**
 * The report as Bencher Metric Format, so a host's noise can be tracked in Benchline itself
 * (`benchline run --adapter json` on this output). One benchmark, `noise`, one measure per figure.
 */
export function noiseToBmf(report: NoiseReport): Record<string, Record<string, BmfMetric>> {
  const measures: Record<string, BmfMetric> = {
    // The unit's wall time in nanoseconds, as the built-in latency measure counts.
    latency: {
      value: report.unitMs.median * 1e6,
      lower_value: report.unitMs.min * 1e6,
      upper_value: report.unitMs.max * 1e6,
    },
  };
  if (finite(report.cvPct)) measures['coefficient-of-variation'] = { value: report.cvPct };
  if (finite(report.cores.stealPct)) measures.steal = { value: report.cores.stealPct };
  if (finite(report.involuntaryContextSwitches)) {
    measures['involuntary-context-switches'] = { value: report.involuntaryContextSwitches };
  }
  if (finite(report.timerJitterUs.median)) {
    measures['timer-jitter'] = {
      value: report.timerJitterUs.median,
      lower_value: report.timerJitterUs.min,
      upper_value: report.timerJitterUs.p99,
    };
  }
  if (finite(report.cores.interruptsPerSecond)) {
    measures['interrupts-per-second'] = { value: report.cores.interruptsPerSecond };
  }
  return { noise: measures };
}

const fixed = (n: number | null | undefined, digits = 1) => (finite(n) ? n.toFixed(digits) : 'n/a');

/** A few lines for a person: the headline CV against the limit, then what explains it. */
export function describeNoise(report: NoiseReport, maxCvPct?: number): string[] {
  const u = report.unitMs;
  const verdict =
    maxCvPct === undefined ? '' : report.cvPct > maxCvPct ? `  ABOVE the limit of ${maxCvPct}%` : '  (ok)';
  return [
    `noise on ${report.host}, core${report.cpus.length > 1 ? 's' : ''} ${report.cpus.join(',')}${report.pinned ? '' : ' (NOT pinned: no taskset)'}`,
    `  workload CV      ${fixed(report.cvPct, 2)}%${verdict}`,
    `  unit time        min ${fixed(u.min, 2)} / median ${fixed(u.median, 2)} / max ${fixed(u.max, 2)} ms over ${u.n} runs`,
    `  steal            ${fixed(report.cores.stealPct)}% of the core's time`,
    `  involuntary ctx  ${report.involuntaryContextSwitches ?? 'n/a'} switches while timed`,
    `  core busy        ${fixed(report.cores.busyPct)}% (the workload included); ${fixed(report.cores.interruptsPerSecond, 0)} interrupts/s`,
    `  timer jitter     median ${fixed(report.timerJitterUs.median, 0)} µs, p99 ${fixed(report.timerJitterUs.p99, 0)} µs late on a 1 ms sleep`,
    `  load average     ${fixed(report.load, 2)}`,
  ];
}
