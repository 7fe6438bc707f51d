import type { Limits, ModelParams } from './model.js';

// Static limits ignore history entirely; there is no centre to report, hence no baseline.
export function staticLimits(_history: number[], params: ModelParams): Limits {
  return { baseline: null, lowerLimit: params.lowerBoundary, upperLimit: params.upperBoundary };
}
