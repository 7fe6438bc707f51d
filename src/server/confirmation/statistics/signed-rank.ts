import { badInput } from '../../errors.js';
import { lowerTail, signedRankPmf, signFlipDistribution, upperTail } from './null-distributions.js';
import { doubledMidranks } from './ranks.js';
import { type Alternative, MAX_SIGNED_RANK_N, type TestResult } from './types.js';
import { assertAlternative, assertFinite } from './validate.js';

/**
 * One-sided Wilcoxon signed-rank test of `diffs` against 0, with an exact p-value.
 *
 * - Zeros are dropped first (scipy's default zero_method 'wilcox').
 * - Without ties the null is the textbook signed-rank distribution (@stdlib): same p-value as
 *   scipy.stats.wilcoxon(method='exact'/'auto').
 * - With tied |diffs| the statistic uses average ranks and the null is the exact sign-flip
 *   distribution conditional on those ranks — what scipy's 'auto' computes by permutation for
 *   n ≤ 13 — for every n here (scipy falls back to the normal approximation above 13).
 * - No non-zero difference left: statistic 0, p-value 1 (nothing points either way; scipy: NaN).
 */
export function wilcoxonSignedRank(diffs: readonly number[], alternative: Alternative): TestResult {
  assertFinite(diffs as number[], 'diffs');
  assertAlternative(alternative);
  const nonZero = diffs.filter((d) => d !== 0);
  const n = nonZero.length;
  if (n > MAX_SIGNED_RANK_N)
    throw badInput(
      `the exact signed-rank test takes at most ${MAX_SIGNED_RANK_N} differences, not ${n}`,
      'diffs',
    );
  if (n === 0) return { statistic: 0, pValue: 1, ties: diffs.length > 0 };

  const { ranks, ties } = doubledMidranks(nonZero.map(Math.abs));
  let doubledTPlus = 0;
  nonZero.forEach((d, i) => {
    if (d > 0) doubledTPlus += ranks[i];
  });
  const statistic = doubledTPlus / 2;
  if (!ties) {
    const pmf = signedRankPmf(n);
    const pValue = alternative === 'greater' ? upperTail(pmf, statistic) : lowerTail(pmf, statistic);
    return { statistic, pValue, ties: n < diffs.length };
  }
  const pmf = signFlipDistribution(ranks);
  const pValue = alternative === 'greater' ? upperTail(pmf, doubledTPlus) : lowerTail(pmf, doubledTPlus);
  return { statistic, pValue, ties: true };
}
