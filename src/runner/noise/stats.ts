import { mean, quantileSorted, sampleStdDev } from '../../server/results/thresholds/stats.js';

export interface Summary {
  n: number;
  mean: number;
  min: number;
  median: number;
  p99: number;
  max: number;
  /** Coefficient of variation (sample standard deviation / mean), in percent. */
  cvPct: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mu = mean(sorted);
  const sd = sampleStdDev(sorted, mu);
  return {
    n: sorted.length,
    mean: mu,
    min: sorted[0] ?? Number.NaN,
    median: quantileSorted(sorted, 0.5),
    p99: quantileSorted(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    cvPct: sorted.length > 1 && mu > 0 ? (100 * sd) / mu : Number.NaN,
  };
}
