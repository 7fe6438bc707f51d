import { BenchlineError } from '../../errors.js';

export type ModelTest = 'STATIC' | 'PERCENTAGE' | 'Z_SCORE' | 'T_TEST' | 'LOG_NORMAL' | 'IQR' | 'DELTA_IQR';

export const MODEL_TESTS: readonly ModelTest[] = [
  'STATIC',
  'PERCENTAGE',
  'Z_SCORE',
  'T_TEST',
  'LOG_NORMAL',
  'IQR',
  'DELTA_IQR',
];

export interface ModelParams {
  test: ModelTest;
  minSampleSize: number | null;
  maxSampleSize: number | null;
  windowSeconds: number | null;
  lowerBoundary: number | null;
  upperBoundary: number | null;
}

export interface Limits {
  baseline: number | null;
  lowerLimit: number | null;
  upperLimit: number | null;
}

export type LimitSide = 'LOWER' | 'UPPER';

/** A model computes limits from the history, newest first. */
export type Model = (history: number[], params: ModelParams) => Limits;

export const NO_LIMITS: Readonly<Limits> = Object.freeze({
  baseline: null,
  lowerLimit: null,
  upperLimit: null,
});

/** A BenchlineError so the GraphQL layer passes it through as BAD_INPUT with the field, instead of masking it. */
export class ModelValidationError extends BenchlineError {
  declare readonly code: 'BAD_INPUT';
  readonly field: string;

  constructor(field: string, message: string) {
    super('BAD_INPUT', message, { field });
    this.name = 'ModelValidationError';
    this.field = field;
  }
}
