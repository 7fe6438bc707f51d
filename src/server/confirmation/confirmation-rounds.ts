import { confirmationRoundsForNoise } from '../noise/confirmation-rounds.js';
import { MIN_ROUNDS, roundsNeeded } from './statistics/index.js';

/** Never more rounds than this, whatever the settings, the alerts or the runner's noise. */
export const MAX_ROUNDS = 30;
/**
 * Rounds that may go the wrong way at the largest ranks while a clear change still passes Holm's
 * first step: one. At the bare minimum (a perfect separation just reaching α / alerts) a single
 * round disturbed by a neighbour's burst on the base arm kept every real +5 % from confirming in
 * bench/alert-quality.ts (0 of 10, 7 rounds for 10 alerts).
 */
export const ADVERSE_ROUNDS = 1;

export interface RoundsInput {
  /** The run's --confirm-rounds, else the project's: a floor (0 is handled by the caller: off). */
  asked: number;
  /** Alerts the confirmation decides together (Holm's family). */
  alerts: number;
  alpha: number;
  /** The noise probe CV (%) of the runner that ran the original job; null when it took none. */
  probeCv: number | null;
}

/**
 * The rounds of one confirmation, from three things, capped at MAX_ROUNDS:
 * - the asked rounds, a floor;
 * - with two or more alerts, Holm asks the first p ≤ α / alerts: enough rounds that it is reached
 *   even with ADVERSE_ROUNDS disturbed rounds (roundsNeeded; 2–3 alerts: 7 Mann–Whitney rounds,
 *   5–10 alerts: 14–15 signed-rank pairs). One alert has no correction and keeps the asked rounds;
 * - a runner noisier than a quiet one needs (CV / quiet CV)² times the rounds to know its means as
 *   well (confirmationRoundsForNoise, issue 24).
 */
export function confirmationRounds(input: RoundsInput): number {
  const floor = Math.min(MAX_ROUNDS, Math.max(MIN_ROUNDS, input.asked));
  const holm =
    input.alerts < 2 ? floor : roundsNeeded(input.alerts, input.alpha, MAX_ROUNDS, undefined, ADVERSE_ROUNDS);
  return confirmationRoundsForNoise(Math.max(floor, holm), input.probeCv, MAX_ROUNDS);
}
