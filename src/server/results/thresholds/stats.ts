export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n − 1); two-pass so large offsets don't swamp small spreads. */
export function sampleStdDev(values: readonly number[], mu = mean(values)): number {
  if (values.length < 2) return Number.NaN;
  let sq = 0;
  for (const v of values) sq += (v - mu) ** 2;
  return Math.sqrt(sq / (values.length - 1));
}

/**
 * Quantile by linear interpolation between order statistics (Hyndman–Fan type 7, the default in R and
 * NumPy, and what Bencher uses), so our limits agree with theirs for the same history.
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export interface Quartiles {
  q1: number;
  q2: number;
  q3: number;
}

export function quartiles(values: readonly number[]): Quartiles {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    q1: quantileSorted(sorted, 0.25),
    q2: quantileSorted(sorted, 0.5),
    q3: quantileSorted(sorted, 0.75),
  };
}
