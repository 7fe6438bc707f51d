import { MODEL_TESTS, type ModelParams, type ModelTest, ModelValidationError } from './model.js';

/** What callers hand in: any casing of the test name, and absent fields as undefined or null. */
export interface ModelParamsInput {
  test: string;
  minSampleSize?: number | null;
  maxSampleSize?: number | null;
  windowSeconds?: number | null;
  lowerBoundary?: number | null;
  upperBoundary?: number | null;
}

// The columns are Postgres `integer`.
const MAX_INT = 2_147_483_647;

type BoundaryField = 'lowerBoundary' | 'upperBoundary';
type CountField = 'minSampleSize' | 'maxSampleSize' | 'windowSeconds';

const SIDE: Record<BoundaryField, string> = { lowerBoundary: 'Lower', upperBoundary: 'Upper' };

/**
 * Checks a threshold model the way Bencher does (bencher_valid / bencher_boundary `validate_statistic`) and
 * returns it normalised. Throws ModelValidationError naming the offending field.
 */
export function validateModel(input: ModelParamsInput): ModelParams {
  const test = parseTest(input.test);
  const params: ModelParams = {
    test,
    minSampleSize: count(input, 'minSampleSize', 2, 'sample size'),
    maxSampleSize: count(input, 'maxSampleSize', 2, 'sample size'),
    windowSeconds: count(input, 'windowSeconds', 1, 'window'),
    lowerBoundary: finite(input, 'lowerBoundary'),
    upperBoundary: finite(input, 'upperBoundary'),
  };
  const { minSampleSize, maxSampleSize, lowerBoundary, upperBoundary } = params;

  if (lowerBoundary === null && upperBoundary === null) {
    throw new ModelValidationError(
      'upperBoundary',
      'A threshold model needs a lower boundary, an upper boundary, or both; neither was given.',
    );
  }

  if (test === 'STATIC') {
    // A static model never looks at history, so these would silently do nothing.
    for (const field of ['minSampleSize', 'maxSampleSize', 'windowSeconds'] as const) {
      if (params[field] !== null) {
        throw new ModelValidationError(
          field,
          `A static threshold does not use history, so ${field} must not be set; remove it.`,
        );
      }
    }
    if (lowerBoundary !== null && upperBoundary !== null && lowerBoundary > upperBoundary) {
      throw new ModelValidationError(
        'lowerBoundary',
        `Lower boundary (${lowerBoundary}) must not be above the upper boundary (${upperBoundary}).`,
      );
    }
    return params;
  }

  if (minSampleSize !== null && maxSampleSize !== null && minSampleSize > maxSampleSize) {
    throw new ModelValidationError(
      'minSampleSize',
      `Minimum sample size (${minSampleSize}) must not exceed the maximum sample size (${maxSampleSize}).`,
    );
  }
  for (const field of ['lowerBoundary', 'upperBoundary'] as const) {
    const value = params[field];
    if (value !== null) checkBoundary(test, field, value);
  }
  return params;
}

function parseTest(raw: string): ModelTest {
  const test = String(raw).trim().toUpperCase();
  if ((MODEL_TESTS as readonly string[]).includes(test)) return test as ModelTest;
  const names = MODEL_TESTS.map((t) => t.toLowerCase()).join(', ');
  throw new ModelValidationError('test', `Unknown threshold model "${raw}"; use one of: ${names}.`);
}

function finite(input: ModelParamsInput, field: BoundaryField): number | null {
  const value = input[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ModelValidationError(field, `${SIDE[field]} boundary must be a finite number; got ${value}.`);
  }
  return value;
}

function count(input: ModelParamsInput, field: CountField, min: number, what: string): number | null {
  const value = input[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_INT) {
    const unit = field === 'windowSeconds' ? ' (in seconds)' : '';
    throw new ModelValidationError(
      field,
      `The ${what}${unit} must be a whole number from ${min} to ${MAX_INT}; got ${value}.`,
    );
  }
  return value;
}

function checkBoundary(test: Exclude<ModelTest, 'STATIC'>, field: BoundaryField, value: number): void {
  const side = SIDE[field];
  switch (test) {
    case 'PERCENTAGE':
      if (value < 0) {
        throw new ModelValidationError(
          field,
          `${side} boundary for a percentage threshold is a fraction of the mean (0.1 = 10%) and must be ` +
            `0 or more; got ${value}.`,
        );
      }
      return;
    case 'Z_SCORE':
    case 'T_TEST':
    case 'LOG_NORMAL':
      if (value < 0.5 || value >= 1) {
        throw new ModelValidationError(
          field,
          `${side} boundary for a ${test.toLowerCase()} threshold is a probability and must be at least 0.5 ` +
            `and below 1 (e.g. 0.99); got ${value}.${probabilityHint(value)}`,
        );
      }
      return;
    case 'IQR':
    case 'DELTA_IQR':
      if (value < 0) {
        throw new ModelValidationError(
          field,
          `${side} boundary for a ${test.toLowerCase()} threshold multiplies the inter-quartile range and must ` +
            `be 0 or more (e.g. 3); got ${value}.`,
        );
      }
      return;
  }
}

// People often type a percent (99) or a tail probability (0.01) instead of the cumulative one.
function probabilityHint(value: number): string {
  if (value > 1 && value < 100) return ` Did you mean ${value / 100}?`;
  if (value > 0 && value < 0.5) return ` Did you mean ${1 - value}?`;
  return '';
}
