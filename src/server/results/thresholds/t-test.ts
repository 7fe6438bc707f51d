import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mirroredLimits } from './cdf.js';
import { type Limits, type ModelParams, NO_LIMITS } from './model.js';
import { mean, sampleStdDev } from './stats.js';

/**
 * Prediction interval for one new observation: the sd of (x_new − x̄) is s·√(1 + 1/n), and
 * (x_new − x̄) / that follows Student's t with n − 1 degrees of freedom.
 */
export function tTestLimits(history: number[], params: ModelParams): Limits {
  const n = history.length;
  if (n < 2) return { ...NO_LIMITS };
  const mu = mean(history);
  const scale = sampleStdDev(history, mu) * Math.sqrt(1 + 1 / n);
  return mirroredLimits(mu, (p) => mu + scale * tQuantile(p, n - 1), params);
}
