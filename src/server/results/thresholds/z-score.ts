import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { mirroredLimits } from './cdf.js';
import { type Limits, type ModelParams, NO_LIMITS } from './model.js';
import { mean, sampleStdDev } from './stats.js';

export function zScoreLimits(history: number[], params: ModelParams): Limits {
  if (history.length < 2) return { ...NO_LIMITS };
  const mu = mean(history);
  const s = sampleStdDev(history, mu);
  // s = 0 is a degenerate normal (stdlib returns μ for every p): any change from a constant history is an outlier.
  return mirroredLimits(mu, (p) => normalQuantile(p, mu, s), params);
}
