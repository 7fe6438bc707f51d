import quantile from '@stdlib/stats-base-dists-normal-quantile';

/** The power each alert's test is sized for: the chance a real change of the alert's size is found. */
export const TARGET_POWER = 0.8;
/** The part of an alert's single-run change taken as real when sizing. */
export const SHRINK = 0.75;
/** Fewer history values than this say too little about a series' spread to size anything on. */
export const MIN_HISTORY = 5;

export interface AlertNoise {
  /** The alert's change against its baseline, as a fraction (0.05: 5 % worse), in its direction. */
  change: number;
  /** The coefficient of variation of the series' recent history (0.03: 3 %); null when unknown. */
  cv: number | null;
}

/**
 * Pairs the signed-rank test needs to find each alert's change, if real, with TARGET_POWER at Holm's
 * strictest level α / alerts — the largest over the alerts, or null when no alert's noise is known.
 *
 * A round's head/base log-ratio has a standard deviation of about √2 · cv (two independent values of
 * the series; interleaving removes the drift between rounds, so this errs high). The normal
 * approximation n = ((z₁₋ₐ + z_power) · σ / δ)², divided by the signed-rank test's asymptotic
 * relative efficiency against the t-test under normal noise (3/π ≈ 0.955), plus one pair for the
 * small-sample loss. δ is three quarters of the alert's change, floored at the minimum effect: a
 * single run's change is inflated by the noise that raised it (a real +5 % alerting at a 3 % gate
 * shows about +6 %).
 */
export function roundsForPower(
  alerts: readonly AlertNoise[],
  alpha: number,
  minEffect: number,
): number | null {
  if (alerts.length === 0) return null;
  const zAlpha = quantile(1 - alpha / alerts.length, 0, 1);
  const zPower = quantile(TARGET_POWER, 0, 1);
  let most: number | null = null;
  for (const alert of alerts) {
    if (alert.cv === null || !Number.isFinite(alert.cv) || alert.cv < 0) continue;
    const delta = Math.max(minEffect, SHRINK * Math.abs(alert.change));
    const sigma = Math.SQRT2 * alert.cv;
    const n = Math.ceil((((zAlpha + zPower) * sigma) / delta) ** 2 / (3 / Math.PI)) + 1;
    most = Math.max(most ?? 0, n);
  }
  return most;
}
