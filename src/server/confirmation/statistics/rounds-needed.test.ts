import { describe, expect, it } from 'vitest';
import { BenchlineError } from '../../errors.js';
import { minAttainablePValue, roundsNeeded, testForRounds } from './rounds-needed.js';

describe('roundsNeeded', () => {
  it('the floors the issue names: Mann–Whitney 5 vs 5 → 1/252, signed-rank with R pairs → 1/2^R', () => {
    expect(minAttainablePValue('MANN_WHITNEY', 5)).toBeCloseTo(1 / 252, 15);
    expect(minAttainablePValue('MANN_WHITNEY', 7)).toBeCloseTo(1 / 3432, 15);
    expect(minAttainablePValue('MANN_WHITNEY', 3, 4)).toBeCloseTo(1 / 35, 15);
    expect(minAttainablePValue('WILCOXON', 8)).toBe(1 / 256);
    expect(testForRounds(7)).toBe('MANN_WHITNEY');
    expect(testForRounds(8)).toBe('WILCOXON');
  });

  it('stays at 5 rounds while 1/252 ≤ α/alerts (up to 12 alerts at α = 0.05)', () => {
    expect(roundsNeeded(0, 0.05)).toBe(5);
    expect(roundsNeeded(1, 0.05)).toBe(5);
    expect(roundsNeeded(12, 0.05)).toBe(5);
    expect(roundsNeeded(13, 0.05)).toBe(6); // 0.05/13 = 0.00385 < 1/252; 1/924 passes
    expect(roundsNeeded(46, 0.05)).toBe(6);
    expect(roundsNeeded(47, 0.05)).toBe(7);
    expect(roundsNeeded(171, 0.05)).toBe(7);
  });

  it('past Mann–Whitney’s reach at 7 rounds, the signed-rank test needs 2^R ≥ alerts/α', () => {
    expect(roundsNeeded(172, 0.05)).toBe(12); // 1/3432 fails, 8–11 pairs give ≥ 1/2048 > 0.05/172, 1/4096 passes
    expect(roundsNeeded(1000, 0.01)).toBe(17); // 1e-5 ≥ 2^-17 = 7.6e-6, not 2^-16 = 1.5e-5
  });

  it('a fixed test, a stricter alpha, and the cap', () => {
    expect(roundsNeeded(1, 0.05, 30, 'WILCOXON')).toBe(5);
    expect(roundsNeeded(3, 0.05, 30, 'WILCOXON')).toBe(6); // 0.05/3 = 0.0167: 2^-5 = 0.031 fails, 2^-6 = 0.0156 passes
    expect(roundsNeeded(1, 0.001)).toBe(7); // 1/252 and 1/924 > 0.001 ≥ 1/3432
    expect(roundsNeeded(1e9, 0.05)).toBe(30);
    expect(roundsNeeded(1e9, 0.05, 10)).toBe(10);
    expect(roundsNeeded(1, 0.05, 3)).toBe(3);
  });

  it('refuses a fractional or negative alert count, alpha outside (0, 1), and fewer than 2 rounds', () => {
    expect(() => roundsNeeded(-1, 0.05)).toThrowError(BenchlineError);
    expect(() => roundsNeeded(1.5, 0.05)).toThrowError(/alertCount/);
    expect(() => roundsNeeded(1, 1.2)).toThrowError(/alpha/);
    expect(() => roundsNeeded(1, 0.05, 1)).toThrowError(/maxRounds/);
  });
});
