import { badInput } from '../../errors.js';
import { mannWhitneyPmf, signedRankPmf } from './null-distributions.js';
import { MAX_MANN_WHITNEY_N, MAX_SIGNED_RANK_N } from './types.js';
import { assertFinite, assertOpenUnit } from './validate.js';

export interface ShiftEstimate {
  /** Hodges–Lehmann estimate: the median of the Walsh averages (one sample) or pairwise differences (two). */
  estimate: number;
  /** Two-sided distribution-free interval; null where no order statistic reaches the confidence (too few values). */
  lower: number | null;
  upper: number | null;
  /** The confidence the interval actually has: ≥ the one asked for, as the null is discrete (1 when unbounded). */
  confidence: number;
}

/**
 * Hodges–Lehmann location of `diffs` (median of the n(n+1)/2 Walsh averages) with the interval
 * that inverts the exact signed-rank test: [W(k), W(N+1−k)] for the largest k with
 * P(T+ ≤ k−1) ≤ (1 − confidence)/2 (Hollander & Wolfe; R's wilcox.test(conf.int = TRUE) without
 * ties). Zeros are kept — they are observations of the location. With tied values the interval uses
 * the untied distribution, so its coverage is approximate. Hand-written: no npm package has it.
 */
export function hodgesLehmannOneSample(diffs: readonly number[], confidence: number): ShiftEstimate {
  assertFinite(diffs as number[], 'diffs');
  assertOpenUnit(confidence, 'confidence');
  const n = diffs.length;
  if (n === 0) throw badInput('the Hodges–Lehmann estimate needs at least one difference', 'diffs');
  if (n > MAX_SIGNED_RANK_N)
    throw badInput(`the Hodges–Lehmann interval takes at most ${MAX_SIGNED_RANK_N} differences`, 'diffs');
  const walsh = new Float64Array((n * (n + 1)) / 2);
  let w = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh[w++] = (diffs[i] + diffs[j]) / 2;
  return fromOrderStatistics(walsh.sort(), signedRankPmf(n), confidence);
}

/**
 * Two-sample Hodges–Lehmann shift of x relative to y (median of the m·n differences x_i − y_j)
 * with the interval that inverts the exact Mann–Whitney test: [D(k), D(mn+1−k)] for the largest k
 * with P(U ≤ k−1) ≤ (1 − confidence)/2. Ties as in the one-sample case. Hand-written likewise.
 */
export function hodgesLehmannTwoSample(
  x: readonly number[],
  y: readonly number[],
  confidence: number,
): ShiftEstimate {
  assertFinite(x as number[], 'x');
  assertFinite(y as number[], 'y');
  assertOpenUnit(confidence, 'confidence');
  if (x.length === 0 || y.length === 0)
    throw badInput('the Hodges–Lehmann shift needs at least one value in each sample', 'x');
  if (x.length + y.length > MAX_MANN_WHITNEY_N)
    throw badInput(`the Hodges–Lehmann interval takes at most ${MAX_MANN_WHITNEY_N} values`, 'x');
  const differences = new Float64Array(x.length * y.length);
  let d = 0;
  for (const xi of x) for (const yj of y) differences[d++] = xi - yj;
  return fromOrderStatistics(differences.sort(), mannWhitneyPmf(x.length, y.length), confidence);
}

/** `sorted` holds N values and `pmf` the null of a statistic on 0…N symmetric about N/2. */
function fromOrderStatistics(sorted: Float64Array, pmf: Float64Array, confidence: number): ShiftEstimate {
  const count = sorted.length;
  const half = count >> 1;
  const estimate = count % 2 === 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
  const tail = (1 - confidence) / 2;
  // k = how many order statistics each end may drop; cdf = P(stat ≤ k − 1).
  let k = 0;
  let cdf = 0;
  while (k < half && cdf + pmf[k] <= tail * (1 + 1e-12)) cdf += pmf[k++];
  if (k === 0) return { estimate, lower: null, upper: null, confidence: 1 };
  return { estimate, lower: sorted[k - 1], upper: sorted[count - k], confidence: 1 - 2 * cdf };
}
