import type { AlertDecision } from './statistics/index.js';

/**
 * What is known of an alert raised by a run (docs/confirmation.md):
 * SUSPECTED (a confirmation job is queued) → CONFIRMING (it runs) → CONFIRMED or CLEARED;
 * UNCONFIRMABLE when nothing could re-run it (a local run, no baseline image, confirmation off);
 * CONFIRMATION_FAILED when its confirmation job failed or was canceled.
 */
export const VERDICTS = [
  'SUSPECTED',
  'CONFIRMING',
  'CONFIRMED',
  'CLEARED',
  'UNCONFIRMABLE',
  'CONFIRMATION_FAILED',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Verdicts still waiting for a confirmation job. */
export const PENDING_VERDICTS: ReadonlySet<Verdict> = new Set(['SUSPECTED', 'CONFIRMING']);

/** An alert counts as active when its status is ACTIVE and it was not cleared by a confirmation. */
export function isActiveAlert(alert: { status: string; verdict: string }): boolean {
  return alert.status === 'ACTIVE' && alert.verdict !== 'CLEARED';
}

/**
 * What one alert's confirmation found, stored as alert.evidence: the decision's figures (null when the
 * rounds could not decide), the settings it was made with, and both arms' values per round in
 * round order (null where a round's output lacked the value).
 */
export type Evidence = Pick<
  AlertDecision,
  | 'test'
  | 'pValue'
  | 'adjustedPValue'
  | 'changePercent'
  | 'lowerPercent'
  | 'upperPercent'
  | 'confidence'
  | 'reason'
> & {
  alpha: number;
  minEffectPercent: number;
  rounds: number;
  head: Array<number | null>;
  base: Array<number | null>;
  baseDigest: string;
};
