import { badInput } from '../../errors.js';
import { lowerTail, mannWhitneyPmf, subsetSumDistribution, upperTail } from './null-distributions.js';
import { doubledMidranks } from './ranks.js';
import { type Alternative, MAX_MANN_WHITNEY_N, type TestResult } from './types.js';
import { assertAlternative, assertFinite } from './validate.js';

/**
 * One-sided Mann–Whitney U test of `x` against `y` with an exact p-value; 'greater' = x tends to
 * be larger. The statistic is scipy's U of x (rank sum of x − m(m+1)/2, average ranks for ties).
 *
 * - Without ties: scipy.stats.mannwhitneyu(method='exact').
 * - With ties: the exact permutation distribution conditional on the tied ranks (scipy's
 *   method='exact' would ignore the ties and be conservative; its PermutationMethod matches this).
 * - An empty sample: statistic 0, p-value 1.
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative,
): TestResult {
  assertFinite(x as number[], 'x');
  assertFinite(y as number[], 'y');
  assertAlternative(alternative);
  const m = x.length;
  const n = y.length;
  if (m + n > MAX_MANN_WHITNEY_N)
    throw badInput(
      `the exact Mann–Whitney test takes at most ${MAX_MANN_WHITNEY_N} values, not ${m + n}`,
      'x',
    );
  if (m === 0 || n === 0) return { statistic: 0, pValue: 1, ties: false };

  const { ranks, ties } = doubledMidranks([...x, ...y]);
  let doubledRankSum = 0;
  for (let i = 0; i < m; i++) doubledRankSum += ranks[i];
  const statistic = doubledRankSum / 2 - (m * (m + 1)) / 2;
  if (!ties) {
    const pmf = mannWhitneyPmf(m, n);
    const pValue = alternative === 'greater' ? upperTail(pmf, statistic) : lowerTail(pmf, statistic);
    return { statistic, pValue, ties };
  }
  const pmf = subsetSumDistribution(ranks, m);
  const pValue = alternative === 'greater' ? upperTail(pmf, doubledRankSum) : lowerTail(pmf, doubledRankSum);
  return { statistic, pValue, ties };
}
