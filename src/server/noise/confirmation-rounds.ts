/**
 * The CV (percent) of a quiet runner's probe: at or below it, `baseRounds` is enough. Measured here as
 * the probe's CV on an idle core of this VM (1–3%); bare metal with tuning does better.
 */
export const QUIET_PROBE_CV_PCT = 2;

/**
 * How many confirmation rounds a runner with this probe CV needs to pin a mean down as well as
 * `baseRounds` do on a quiet runner. The standard error of a mean of n runs is σ/√n, so matching it at
 * CV c against the quiet CV q takes n = base · (c/q)²; rounded up, never under `baseRounds`, capped at
 * `maxRounds` (past that, the runner is too noisy to confirm anything cheaply: pick another one).
 * An unknown CV (no probe: skipped, failed, or an older runner) gets `baseRounds`.
 */
export function confirmationRoundsForNoise(
  baseRounds: number,
  probeCv: number | null | undefined,
  maxRounds: number,
): number {
  if (!Number.isInteger(baseRounds) || baseRounds < 1)
    throw new RangeError('baseRounds must be a whole number ≥ 1');
  if (!Number.isInteger(maxRounds) || maxRounds < baseRounds) {
    throw new RangeError('maxRounds must be a whole number ≥ baseRounds');
  }
  if (
    probeCv === null ||
    probeCv === undefined ||
    !Number.isFinite(probeCv) ||
    probeCv <= QUIET_PROBE_CV_PCT
  ) {
    return baseRounds;
  }
  const needed = Math.ceil(baseRounds * (probeCv / QUIET_PROBE_CV_PCT) ** 2 - 1e-9);
  return Math.min(maxRounds, Math.max(baseRounds, needed));
}

/**
 * Above this probe CV (%) a runner is too noisy to take a confirmation while a quieter idle runner
 * serves its spec (src/server/queue/claim-confirmation.ts): the CV at which the default 5 rounds
 * would have to grow past the 30 allowed to know the means as well as a quiet runner does,
 * 2 % · √(30 / 5) ≈ 4.9 %.
 */
export const NOISY_PROBE_CV_PCT = QUIET_PROBE_CV_PCT * Math.sqrt(30 / 5);
