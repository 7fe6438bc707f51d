import { badInput } from '../../errors.js';
import { mannWhitneyPmf, signedRankPmf, upperTail } from './null-distributions.js';
import { logBinomial } from './ranks.js';
import { assertOpenUnit } from './validate.js';

export type ConfirmationTest = 'WILCOXON' | 'MANN_WHITNEY';

/** Fewer rounds than this cannot confirm one alert by Mann–Whitney at 5 % with any margin (4 rounds: p ≥ 1/70). */
export const MIN_ROUNDS = 5;
/** From this many rounds on, the paired signed-rank test decides (the rule). */
export const WILCOXON_FROM_ROUNDS = 8;

/** The test the rule picks for R rounds. */
export function testForRounds(rounds: number, wilcoxonFrom = WILCOXON_FROM_ROUNDS): ConfirmationTest {
  return rounds >= wilcoxonFrom ? 'WILCOXON' : 'MANN_WHITNEY';
}

/**
 * The smallest one-sided p-value a test can reach: every head value beyond every base value.
 * Signed-rank with n pairs: 1/2^n. Mann–Whitney m vs n: 1/C(m+n, m).
 */
export function minAttainablePValue(
  test: ConfirmationTest,
  headRounds: number,
  baseRounds = headRounds,
): number {
  if (test === 'WILCOXON') return 2 ** -Math.min(headRounds, baseRounds);
  return Math.exp(-logBinomial(headRounds + baseRounds, headRounds));
}

/**
 * The one-sided p-value of a clear change of which `adverse` rounds went the wrong way by more than
 * any other round moved (a neighbour's burst on the base arm): signed-rank with n pairs, the
 * adverse log-ratios at the top ranks, P(T− ≤ their rank sum); Mann–Whitney m vs m, `adverse` base
 * values above every head value, P(U ≤ adverse · m). With adverse = 0: minAttainablePValue.
 */
export function worstCasePValue(test: ConfirmationTest, rounds: number, adverse = 0): number {
  const k = Math.max(0, Math.min(adverse, rounds));
  if (test === 'WILCOXON') {
    const top = k * rounds - (k * (k - 1)) / 2;
    return upperTail(signedRankPmf(rounds), (rounds * (rounds + 1)) / 2 - top);
  }
  return upperTail(mannWhitneyPmf(rounds, rounds), rounds * rounds - k * rounds);
}

/**
 * Rounds a confirmation of `alertCount` alerts should run: the smallest R ≥ MIN_ROUNDS at which a
 * clear change still survives Holm's first step, p ≤ alpha / alertCount, when `adverse` of its
 * rounds went the wrong way at the largest ranks (worstCasePValue), with the test the rule picks
 * for R (or `test` when given). adverse = 0 asks only that a perfect separation can pass; 1 is the
 * margin confirmation uses, so that one disturbed round cannot on its own stop a real change.
 * Capped at maxRounds, where significance may still be out of reach — check with
 * minAttainablePValue. The rule's switch at 8 rounds is not monotone (Mann–Whitney at 7: 1/3432;
 * signed-rank at 8: 1/256), hence the plain scan.
 */
export function roundsNeeded(
  alertCount: number,
  alpha: number,
  maxRounds = 30,
  test?: ConfirmationTest,
  adverse = 0,
): number {
  assertOpenUnit(alpha, 'alpha');
  if (!Number.isInteger(alertCount) || alertCount < 0)
    throw badInput(`alertCount must be a whole number ≥ 0, not ${String(alertCount)}`, 'alertCount');
  if (!Number.isInteger(maxRounds) || maxRounds < 2)
    throw badInput(`maxRounds must be a whole number ≥ 2, not ${String(maxRounds)}`, 'maxRounds');
  if (!Number.isInteger(adverse) || adverse < 0)
    throw badInput(`adverse must be a whole number ≥ 0, not ${String(adverse)}`, 'adverse');
  const threshold = alpha / Math.max(1, alertCount);
  for (let rounds = Math.min(MIN_ROUNDS, maxRounds); rounds < maxRounds; rounds++) {
    if (worstCasePValue(test ?? testForRounds(rounds), rounds, adverse) <= threshold) return rounds;
  }
  return maxRounds;
}
