import lognormalQuantile from '@stdlib/stats-base-dists-lognormal-quantile';
import { mirroredLimits } from './cdf.js';
import { type Limits, type ModelParams, NO_LIMITS } from './model.js';
import { mean, sampleStdDev } from './stats.js';

/**
 * Fits LogNormal(mean ln x, sd ln x); the baseline is the geometric mean e^(mean ln x).
 * The lower limit is mirrored arithmetically about the baseline (2·baseline − q), matching Bencher
 * (bencher_boundary `new_log_normal` → `inverse_cdf_lower(baseline, …)`), not geometrically
 * (baseline² / q). With a wide spread that lower limit can fall below zero, i.e. the lower side never fires.
 */
export function logNormalLimits(history: number[], params: ModelParams): Limits {
  // ln is undefined for non-positive values; a single point has no spread.
  if (history.length < 2 || history.some((x) => !(x > 0))) return { ...NO_LIMITS };
  const logs = history.map(Math.log);
  const location = mean(logs);
  const scale = sampleStdDev(logs, location);
  const baseline = Math.exp(location);
  // stdlib rejects scale 0 with NaN; a constant history is a point mass at the baseline.
  const quantile = scale > 0 ? (p: number) => lognormalQuantile(p, location, scale) : () => baseline;
  return mirroredLimits(baseline, quantile, params);
}
