import { describe, expect, it } from 'vitest';
import { BenchlineError } from '../../errors.js';
import { type ModelParamsInput, ModelValidationError, validateModel } from './index.js';

function errorOf(input: ModelParamsInput): ModelValidationError {
  try {
    validateModel(input);
  } catch (error) {
    if (error instanceof ModelValidationError) return error;
    throw error;
  }
  throw new Error('expected validateModel to throw');
}

describe('validateModel', () => {
  it('normalises the test name and missing fields', () => {
    expect(validateModel({ test: 't_test', upperBoundary: 0.99 })).toEqual({
      test: 'T_TEST',
      minSampleSize: null,
      maxSampleSize: null,
      windowSeconds: null,
      lowerBoundary: null,
      upperBoundary: 0.99,
    });
  });

  it('accepts a full statistical model', () => {
    const input = {
      test: 'Z_SCORE',
      minSampleSize: 2,
      maxSampleSize: 64,
      windowSeconds: 86_400,
      lowerBoundary: 0.5,
      upperBoundary: 0.9999,
    };
    expect(validateModel(input)).toEqual(input);
  });

  it('rejects an unknown test, listing the valid ones', () => {
    const error = errorOf({ test: 'median', upperBoundary: 1 });
    expect(error.code).toBe('BAD_INPUT');
    expect(error.field).toBe('test');
    expect(error.message).toMatch(/static, percentage, z_score, t_test, log_normal, iqr, delta_iqr/);
  });

  it.each(['STATIC', 'PERCENTAGE', 'Z_SCORE', 'T_TEST', 'LOG_NORMAL', 'IQR', 'DELTA_IQR'])(
    '%s needs at least one boundary',
    (test) => {
      const error = errorOf({ test, lowerBoundary: null });
      expect(error.field).toBe('upperBoundary');
      expect(error.message).toMatch(/lower boundary, an upper boundary, or both/);
    },
  );

  it('rejects non-finite boundaries', () => {
    expect(errorOf({ test: 'STATIC', lowerBoundary: Number.NaN }).field).toBe('lowerBoundary');
    expect(errorOf({ test: 'STATIC', upperBoundary: Number.POSITIVE_INFINITY }).field).toBe('upperBoundary');
  });

  describe('static', () => {
    it('accepts any finite boundaries, negative included', () => {
      expect(validateModel({ test: 'STATIC', lowerBoundary: -5, upperBoundary: 5 }).lowerBoundary).toBe(-5);
      expect(validateModel({ test: 'STATIC', lowerBoundary: 3, upperBoundary: 3 }).upperBoundary).toBe(3);
    });

    it('rejects a lower boundary above the upper', () => {
      const error = errorOf({ test: 'STATIC', lowerBoundary: 6, upperBoundary: 5 });
      expect(error.field).toBe('lowerBoundary');
      expect(error.message).toMatch(/must not be above the upper boundary/);
    });

    it.each(['minSampleSize', 'maxSampleSize', 'windowSeconds'] as const)('rejects %s', (field) => {
      const error = errorOf({ test: 'STATIC', upperBoundary: 1, [field]: 10 });
      expect(error.field).toBe(field);
      expect(error.message).toMatch(/does not use history/);
    });
  });

  describe('percentage', () => {
    it('accepts 0 and above, including more than 100%', () => {
      expect(validateModel({ test: 'PERCENTAGE', lowerBoundary: 0, upperBoundary: 1.5 }).upperBoundary).toBe(
        1.5,
      );
    });

    it('rejects a negative boundary', () => {
      const error = errorOf({ test: 'PERCENTAGE', lowerBoundary: -0.1 });
      expect(error.field).toBe('lowerBoundary');
      expect(error.message).toMatch(/percentage threshold .* must be 0 or more; got -0.1/);
    });
  });

  describe.each(['Z_SCORE', 'T_TEST', 'LOG_NORMAL'])('%s', (test) => {
    it('accepts probabilities in [0.5, 1)', () => {
      expect(validateModel({ test, lowerBoundary: 0.5, upperBoundary: 0.999 }).lowerBoundary).toBe(0.5);
    });

    it.each([0.49, 1, 1.5, 99, -0.9])('rejects %s', (value) => {
      const error = errorOf({ test, upperBoundary: value });
      expect(error.field).toBe('upperBoundary');
      expect(error.message).toMatch(/probability and must be at least 0.5 and below 1/);
    });

    it('suggests the likely intended probability', () => {
      expect(errorOf({ test, upperBoundary: 99 }).message).toMatch(/Did you mean 0.99\?/);
      expect(errorOf({ test, lowerBoundary: 0.05 }).message).toMatch(/Did you mean 0.95\?/);
    });
  });

  describe.each(['IQR', 'DELTA_IQR'])('%s', (test) => {
    it('accepts multipliers of 0 and above', () => {
      expect(validateModel({ test, lowerBoundary: 0, upperBoundary: 3 }).upperBoundary).toBe(3);
    });

    it('rejects a negative multiplier', () => {
      const error = errorOf({ test, upperBoundary: -1 });
      expect(error.field).toBe('upperBoundary');
      expect(error.message).toMatch(/multiplies the inter-quartile range/);
    });
  });

  describe('sample sizes and window', () => {
    const base = { test: 'T_TEST', upperBoundary: 0.99 };

    it.each([
      ['minSampleSize', 1],
      ['minSampleSize', 2.5],
      ['maxSampleSize', 0],
      ['maxSampleSize', 3_000_000_000],
      ['windowSeconds', 0],
      ['windowSeconds', -60],
      ['windowSeconds', 1.5],
    ] as const)('rejects %s = %s', (field, value) => {
      const error = errorOf({ ...base, [field]: value });
      expect(error.field).toBe(field);
      expect(error.message).toMatch(/must be a whole number from/);
    });

    it('rejects a min sample size above the max', () => {
      const error = errorOf({ ...base, minSampleSize: 10, maxSampleSize: 5 });
      expect(error.field).toBe('minSampleSize');
      expect(error.message).toMatch(/\(10\) must not exceed the maximum sample size \(5\)/);
    });

    it('accepts equal min and max and a one-second window', () => {
      const valid = validateModel({ ...base, minSampleSize: 5, maxSampleSize: 5, windowSeconds: 1 });
      expect([valid.minSampleSize, valid.maxSampleSize, valid.windowSeconds]).toEqual([5, 5, 1]);
    });
  });
});

describe('ModelValidationError', () => {
  it('is a BAD_INPUT BenchlineError carrying the field', () => {
    const error = errorOf({ test: 'IQR', upperBoundary: -1 });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(BenchlineError);
    expect(error.code).toBe('BAD_INPUT');
    expect(error.details).toEqual({ field: 'upperBoundary' });
  });
});
