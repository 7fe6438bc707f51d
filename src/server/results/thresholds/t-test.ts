import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mirroredLimits } from './cdf.js';
import { type Limits, type ModelParams, NO_LIMITS } from './model.js';
import { mean, sampleStdDev } from './stats.js';

/**
 * Student's t quantile, memoised: it is an iterative inverse of the incomplete beta function (~4 µs),
 * and a report asks for the same few (p, degrees of freedom) pairs thousands of times (one model per
 * measure, one history length). A pure function of its arguments, so the cache changes no result.
 */
const quantiles = new Map<string, number>();
const MAX_CACHED_QUANTILES = 4_096;

function cachedTQuantile(p: number, df: number): number {
  const key = `${p}/${df}`;
  let q = quantiles.get(key);
  if (q === undefined) {
    q = tQuantile(p, df);
    if (quantiles.size >= MAX_CACHED_QUANTILES) quantiles.clear();
    quantiles.set(key, q);
  }
  return q;
}

/**
 * Prediction interval for one new observation: the sd of (x_new − x̄) is s·√(1 + 1/n), and
 * (x_new − x̄) / that follows Student's t with n − 1 degrees of freedom.
 */
export function tTestLimits(history: number[], params: ModelParams): Limits {
  const n = history.length;
  if (n < 2) return { ...NO_LIMITS };
  const mu = mean(history);
  const scale = sampleStdDev(history, mu) * Math.sqrt(1 + 1 / n);
  return mirroredLimits(mu, (p) => mu + scale * cachedTQuantile(p, n - 1), params);
}
