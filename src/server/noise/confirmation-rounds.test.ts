import { describe, expect, it } from 'vitest';
import { confirmationRoundsForNoise, QUIET_PROBE_CV_PCT } from './confirmation-rounds.js';

describe('confirmationRoundsForNoise', () => {
  it('keeps the base rounds for a quiet runner or an unknown CV', () => {
    expect(confirmationRoundsForNoise(3, 0.5, 20)).toBe(3);
    expect(confirmationRoundsForNoise(3, QUIET_PROBE_CV_PCT, 20)).toBe(3);
    expect(confirmationRoundsForNoise(3, null, 20)).toBe(3);
    expect(confirmationRoundsForNoise(3, undefined, 20)).toBe(3);
    expect(confirmationRoundsForNoise(3, Number.NaN, 20)).toBe(3);
  });

  it('grows with the square of the CV, so the mean is known as well as on a quiet runner', () => {
    // Twice the quiet CV: four times the rounds; √2 times: twice.
    expect(confirmationRoundsForNoise(3, 2 * QUIET_PROBE_CV_PCT, 50)).toBe(12);
    expect(confirmationRoundsForNoise(3, Math.SQRT2 * QUIET_PROBE_CV_PCT, 50)).toBe(6);
    expect(confirmationRoundsForNoise(3, 1.1 * QUIET_PROBE_CV_PCT, 50)).toBe(4);
  });

  it('never grows past maxRounds and never shrinks as the CV grows', () => {
    expect(confirmationRoundsForNoise(3, 40, 10)).toBe(10);
    let previous = 0;
    for (let cv = 0; cv <= 30; cv += 0.25) {
      const r = confirmationRoundsForNoise(2, cv, 25);
      expect(r).toBeGreaterThanOrEqual(previous);
      previous = r;
    }
  });

  it('refuses impossible bounds', () => {
    expect(() => confirmationRoundsForNoise(0, 1, 5)).toThrow(RangeError);
    expect(() => confirmationRoundsForNoise(5, 1, 4)).toThrow(RangeError);
    expect(() => confirmationRoundsForNoise(2.5, 1, 4)).toThrow(RangeError);
  });
});
