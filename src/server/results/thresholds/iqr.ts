import { type Limits, type ModelParams, NO_LIMITS } from './model.js';
import { quartiles } from './stats.js';

export function iqrLimits(history: number[], params: ModelParams): Limits {
  if (history.length === 0) return { ...NO_LIMITS };
  const { q1, q2, q3 } = quartiles(history);
  const iqr = q3 - q1;
  const { lowerBoundary, upperBoundary } = params;
  return {
    baseline: q2,
    lowerLimit: lowerBoundary === null ? null : q2 - iqr * lowerBoundary,
    upperLimit: upperBoundary === null ? null : q2 + iqr * upperBoundary,
  };
}
