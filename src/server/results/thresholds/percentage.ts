import { type Limits, type ModelParams, NO_LIMITS } from './model.js';
import { mean } from './stats.js';

export function percentageLimits(history: number[], params: ModelParams): Limits {
  if (history.length === 0) return { ...NO_LIMITS };
  const mu = mean(history);
  const { lowerBoundary, upperBoundary } = params;
  return {
    baseline: mu,
    lowerLimit: lowerBoundary === null ? null : mu - mu * lowerBoundary,
    upperLimit: upperBoundary === null ? null : mu + mu * upperBoundary,
  };
}
