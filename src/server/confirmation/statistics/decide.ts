import { badInput } from '../../errors.js';
import { hodgesLehmannOneSample, hodgesLehmannTwoSample, type ShiftEstimate } from './hodges-lehmann.js';
import { holm } from './holm.js';
import { mannWhitneyU } from './mann-whitney.js';
import {
  type ConfirmationTest,
  minAttainablePValue,
  testForRounds,
  WILCOXON_FROM_ROUNDS,
} from './rounds-needed.js';
import { wilcoxonSignedRank } from './signed-rank.js';
import { MAX_MANN_WHITNEY_N, MAX_SIGNED_RANK_N } from './types.js';
import { assertOpenUnit } from './validate.js';

export interface AlertArms {
  /** One value per round of each arm; head[i] and base[i] ran in the same round. */
  head: readonly number[];
  base: readonly number[];
  /** 'up': the alert says head is larger than base (a slower time); 'down': smaller. */
  direction: 'up' | 'down';
}

export interface DecideInput {
  alerts: readonly AlertArms[];
  /** Family-wise error rate across the report's alerts (Holm). */
  alpha?: number;
  /** The estimated change must be at least this, in percent, in the alert's direction. */
  minEffectPercent?: number;
  /** Two-sided confidence of the reported interval. */
  confidence?: number;
  /** Rounds from which the paired signed-rank test is used. */
  wilcoxonFromRounds?: number;
}

/**
 * CONFIRMED / CLEARED come from the test. UNCONFIRMABLE: the rounds cannot decide — fewer than two
 * usable values in an arm, or so few that even a perfect separation could not pass Holm's first
 * step (clearing would then only mean "too few rounds", and a gate must not take that as "no
 * regression").
 */
export type StatisticalVerdict = 'CONFIRMED' | 'CLEARED' | 'UNCONFIRMABLE';

export type UnconfirmableReason = 'TOO_FEW_ROUNDS' | 'TOO_MANY_ROUNDS';

export interface AlertDecision {
  verdict: StatisticalVerdict;
  test: ConfirmationTest;
  /** One-sided exact p-value in the alert's direction; null when UNCONFIRMABLE. */
  pValue: number | null;
  /** Holm-adjusted over the report's tested alerts; null when UNCONFIRMABLE. */
  adjustedPValue: number | null;
  /** Hodges–Lehmann estimate of head vs base as a percent change (exp(shift of logs) − 1); null when UNCONFIRMABLE. */
  changePercent: number | null;
  /** Interval around changePercent; null when unbounded at this confidence (too few rounds) or UNCONFIRMABLE. */
  lowerPercent: number | null;
  upperPercent: number | null;
  /** The interval's actual confidence (≥ the requested one: the null is discrete). */
  confidence: number | null;
  /** Values used from each arm: positive, finite ones (for the signed-rank test, complete pairs). */
  used: { head: number; base: number };
  reason: UnconfirmableReason | null;
}

interface Tested {
  test: ConfirmationTest;
  pValue: number;
  shift: ShiftEstimate;
  used: { head: number; base: number };
  minP: number;
}

/**
 * The verdict of each alert of one report from its confirmation rounds. Values are compared as
 * logs (the change is a ratio; a log-ratio of each round is symmetric in up/down). Values that are
 * not finite and positive cannot be logged and are left out — with their round's partner in the
 * paired test. Never throws on the values; throws BAD_INPUT on invalid options.
 */
export function decide(input: DecideInput): AlertDecision[] {
  const alpha = input.alpha ?? 0.05;
  const minEffectPercent = input.minEffectPercent ?? 1;
  const confidence = input.confidence ?? 0.95;
  const wilcoxonFrom = input.wilcoxonFromRounds ?? WILCOXON_FROM_ROUNDS;
  assertOpenUnit(alpha, 'alpha');
  assertOpenUnit(confidence, 'confidence');
  if (!(minEffectPercent >= 0 && Number.isFinite(minEffectPercent)))
    throw badInput(
      `minEffectPercent must be a finite number ≥ 0, not ${String(minEffectPercent)}`,
      'minEffectPercent',
    );
  if (!Number.isInteger(wilcoxonFrom) || wilcoxonFrom < 2)
    throw badInput(`wilcoxonFromRounds must be a whole number ≥ 2`, 'wilcoxonFromRounds');

  const tested = input.alerts.map((alert) => testAlert(alert, confidence, wilcoxonFrom));
  const family = tested.filter((t): t is Tested => 'pValue' in t);
  const { adjusted } = holm(
    family.map((t) => t.pValue),
    alpha,
  );
  const adjustedOf = new Map(family.map((t, i) => [t, adjusted[i]]));

  return tested.map((t, i): AlertDecision => {
    if (!('pValue' in t)) return unconfirmable(t.test, t.used, t.reason);
    // Could a perfect separation have passed Holm's first step? If not, the test says nothing.
    if (t.minP * family.length > alpha) return unconfirmable(t.test, t.used, 'TOO_FEW_ROUNDS');
    const adjustedPValue = adjustedOf.get(t)!;
    const toPercent = (shift: number | null) => (shift === null ? null : Math.expm1(shift) * 100);
    const changePercent = toPercent(t.shift.estimate)!;
    const effectHolds =
      input.alerts[i].direction === 'up'
        ? changePercent >= minEffectPercent
        : changePercent <= -minEffectPercent;
    return {
      verdict: adjustedPValue <= alpha && effectHolds ? 'CONFIRMED' : 'CLEARED',
      test: t.test,
      pValue: t.pValue,
      adjustedPValue,
      changePercent,
      lowerPercent: toPercent(t.shift.lower),
      upperPercent: toPercent(t.shift.upper),
      confidence: t.shift.confidence,
      used: t.used,
      reason: null,
    };
  });
}

type Untested = { test: ConfirmationTest; used: { head: number; base: number }; reason: UnconfirmableReason };

function testAlert(alert: AlertArms, confidence: number, wilcoxonFrom: number): Tested | Untested {
  const usable = (v: number) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  const alternative = alert.direction === 'up' ? 'greater' : 'less';
  const pairs = Math.min(alert.head.length, alert.base.length);
  const logRatios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    if (usable(alert.head[i]) && usable(alert.base[i]))
      logRatios.push(logRatio(alert.head[i], alert.base[i]));
  }
  if (testForRounds(logRatios.length, wilcoxonFrom) === 'WILCOXON') {
    const used = { head: logRatios.length, base: logRatios.length };
    if (logRatios.length > MAX_SIGNED_RANK_N) return { test: 'WILCOXON', used, reason: 'TOO_MANY_ROUNDS' };
    return {
      test: 'WILCOXON',
      pValue: wilcoxonSignedRank(logRatios, alternative).pValue,
      shift: hodgesLehmannOneSample(logRatios, confidence),
      used,
      minP: minAttainablePValue('WILCOXON', logRatios.length),
    };
  }
  const head = alert.head.filter(usable);
  const base = alert.base.filter(usable);
  const used = { head: head.length, base: base.length };
  if (head.length < 2 || base.length < 2) return { test: 'MANN_WHITNEY', used, reason: 'TOO_FEW_ROUNDS' };
  if (head.length + base.length > MAX_MANN_WHITNEY_N)
    return { test: 'MANN_WHITNEY', used, reason: 'TOO_MANY_ROUNDS' };
  return {
    test: 'MANN_WHITNEY',
    // Ranks of the raw values are those of their logs, without the logs' rounding making or breaking ties.
    pValue: mannWhitneyU(head, base, alternative).pValue,
    shift: hodgesLehmannTwoSample(head.map(Math.log), base.map(Math.log), confidence),
    used,
    minP: minAttainablePValue('MANN_WHITNEY', head.length, base.length),
  };
}

/**
 * log(head/base) as ±log(larger/smaller): a division rounds correctly, so equal ratios give equal
 * logs, and a ratio and its inverse give exactly opposite ones — ties in |log ratio| stay ties.
 * A ratio past the largest double (a subnormal base) falls back to the difference of the logs.
 */
function logRatio(head: number, base: number): number {
  const [larger, smaller, sign] = head >= base ? [head, base, 1] : [base, head, -1];
  const ratio = larger / smaller;
  return sign * (Number.isFinite(ratio) ? Math.log(ratio) : Math.log(larger) - Math.log(smaller));
}

function unconfirmable(
  test: ConfirmationTest,
  used: { head: number; base: number },
  reason: UnconfirmableReason,
): AlertDecision {
  return {
    verdict: 'UNCONFIRMABLE',
    test,
    pValue: null,
    adjustedPValue: null,
    changePercent: null,
    lowerPercent: null,
    upperPercent: null,
    confidence: null,
    used,
    reason,
  };
}
