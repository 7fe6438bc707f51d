import { deltaIqrLimits } from './delta-iqr.js';
import { iqrLimits } from './iqr.js';
import { logNormalLimits } from './log-normal.js';
import type { LimitSide, Limits, Model, ModelParams, ModelTest } from './model.js';
import { percentageLimits } from './percentage.js';
import { staticLimits } from './static.js';
import { tTestLimits } from './t-test.js';
import { zScoreLimits } from './z-score.js';

export * from './model.js';
export { type ModelParamsInput, validateModel } from './validate.js';

export const MODELS: Readonly<Record<ModelTest, Model>> = {
  STATIC: staticLimits,
  PERCENTAGE: percentageLimits,
  Z_SCORE: zScoreLimits,
  T_TEST: tTestLimits,
  LOG_NORMAL: logNormalLimits,
  IQR: iqrLimits,
  DELTA_IQR: deltaIqrLimits,
};

/**
 * Limits for the next metric given its history (newest first, already filtered to the window by the caller).
 * Null means no boundary: too little history for the min sample size, or data the model can't describe
 * (fewer than two points where a spread is needed, non-positive values for log-normal).
 */
export function computeLimits(params: ModelParams, history: readonly number[]): Limits | null {
  if (params.test === 'STATIC') return staticLimits([], params);
  const sample = params.maxSampleSize === null ? [...history] : history.slice(0, params.maxSampleSize);
  if (sample.length === 0 || sample.length < (params.minSampleSize ?? 0)) return null;
  const limits = MODELS[params.test](sample, params);
  // Statistical models always report a baseline when they could describe the data.
  return limits.baseline === null ? null : limits;
}

/** Which side a value breaches. Exactly at a limit is within it, as in Bencher. */
export function checkMetric(value: number, limits: Limits | null): LimitSide | null {
  if (limits === null) return null;
  if (limits.lowerLimit !== null && value < limits.lowerLimit) return 'LOWER';
  if (limits.upperLimit !== null && value > limits.upperLimit) return 'UPPER';
  return null;
}
