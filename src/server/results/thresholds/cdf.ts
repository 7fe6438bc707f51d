import type { Limits, ModelParams } from './model.js';

/**
 * Shared by the distribution models. Only the upper-tail quantile is evaluated: the lower limit is that
 * quantile reflected about the baseline (2·baseline − q), which is how Bencher defines the lower side, so a
 * lower boundary of 0.977 means "as unlikely as the upper 0.977 quantile", not the 0.977 quantile itself.
 */
export function mirroredLimits(
  baseline: number,
  quantile: (p: number) => number,
  params: Pick<ModelParams, 'lowerBoundary' | 'upperBoundary'>,
): Limits {
  const { lowerBoundary, upperBoundary } = params;
  return {
    baseline,
    lowerLimit: lowerBoundary === null ? null : 2 * baseline - quantile(lowerBoundary),
    upperLimit: upperBoundary === null ? null : quantile(upperBoundary),
  };
}
