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

/** What one alert's confirmation found, stored as alert.evidence. */
export interface Evidence {
  test: 'WILCOXON' | 'MANN_WHITNEY';
  /** Null when the rounds could not decide (UNCONFIRMABLE: too few usable rounds). */
  pValue: number | null;
  adjustedPValue: number | null;
  changePercent: number | null;
  /** The interval's ends; null when unbounded at its confidence (too few rounds). */
  lowerPercent: number | null;
  upperPercent: number | null;
  /** The interval's actual confidence (the null is discrete); null with no interval. */
  confidence: number | null;
  /** Why the rounds could not decide, when they could not. */
  reason: 'TOO_FEW_ROUNDS' | 'TOO_MANY_ROUNDS' | null;
  alpha: number;
  minEffectPercent: number;
  rounds: number;
  /** The head image's value per round, in round order; null where a round's output lacked it. */
  head: Array<number | null>;
  /** The baseline image's value per round, in round order. */
  base: Array<number | null>;
  baseDigest: string;
}
