export {
  type AlertArms,
  type AlertDecision,
  type DecideInput,
  decide,
  type StatisticalVerdict,
  type UnconfirmableReason,
} from './decide.js';
export { hodgesLehmannOneSample, hodgesLehmannTwoSample, type ShiftEstimate } from './hodges-lehmann.js';
export { type HolmResult, holm } from './holm.js';
export { mannWhitneyU } from './mann-whitney.js';
export {
  type ConfirmationTest,
  MIN_ROUNDS,
  minAttainablePValue,
  roundsNeeded,
  testForRounds,
  WILCOXON_FROM_ROUNDS,
  worstCasePValue,
} from './rounds-needed.js';
export { wilcoxonSignedRank } from './signed-rank.js';
export { type Alternative, MAX_MANN_WHITNEY_N, MAX_SIGNED_RANK_N, type TestResult } from './types.js';
