import { badInput } from '../../errors.js';
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
 * Rounds a confirmation of `alertCount` alerts should run: the smallest R ≥ MIN_ROUNDS whose
 * smallest attainable p-value survives Holm's first step, min p ≤ alpha / alertCount, with the
 * test the rule picks for R (or `test` when given). Capped at maxRounds, where significance may
 * still be out of reach — check with minAttainablePValue. The rule's switch at 8 rounds is not
 * monotone (Mann–Whitney at 7: 1/3432; signed-rank at 8: 1/256), hence the plain scan.
 */
export function roundsNeeded(
  alertCount: number,
  alpha: number,
  maxRounds = 30,
  test?: ConfirmationTest,
): number {
  assertOpenUnit(alpha, 'alpha');
  if (!Number.isInteger(alertCount) || alertCount < 0)
    throw badInput(`alertCount must be a whole number ≥ 0, not ${String(alertCount)}`, 'alertCount');
  if (!Number.isInteger(maxRounds) || maxRounds < 2)
    throw badInput(`maxRounds must be a whole number ≥ 2, not ${String(maxRounds)}`, 'maxRounds');
  const threshold = alpha / Math.max(1, alertCount);
  for (let rounds = Math.min(MIN_ROUNDS, maxRounds); rounds < maxRounds; rounds++) {
    if (minAttainablePValue(test ?? testForRounds(rounds), rounds) <= threshold) return rounds;
  }
  return maxRounds;
}
