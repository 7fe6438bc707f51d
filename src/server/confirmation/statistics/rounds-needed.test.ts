import { describe, expect, it } from 'vitest';
import { BenchlineError } from '../../errors.js';
import { mannWhitneyU } from './mann-whitney.js';
import { minAttainablePValue, roundsNeeded, testForRounds, worstCasePValue } from './rounds-needed.js';
import { wilcoxonSignedRank } from './signed-rank.js';

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

describe('worstCasePValue and the adverse-round margin', () => {
  // Counted independently in Python (a subset-sum table of 1…R for the signed-rank tail P(T− ≤ R);
  // a recursion over partitions fitting an m × m box for P(U ≤ m)), not with this code: signed-rank 10 pairs, one adverse at rank 10: 43/1024;
  // 15 pairs: 137/32768. Mann–Whitney 5 + 5 with one base value above all heads: 19/252; 7 + 7: 45/3432.
  it('matches the counted tails', () => {
    expect(worstCasePValue('WILCOXON', 10, 1)).toBeCloseTo(43 / 1024, 14);
    expect(worstCasePValue('WILCOXON', 15, 1)).toBeCloseTo(137 / 32768, 14);
    expect(worstCasePValue('MANN_WHITNEY', 5, 1)).toBeCloseTo(19 / 252, 14);
    expect(worstCasePValue('MANN_WHITNEY', 7, 1)).toBeCloseTo(45 / 3432, 14);
    expect(worstCasePValue('WILCOXON', 12, 0)).toBeCloseTo(minAttainablePValue('WILCOXON', 12), 15);
    expect(worstCasePValue('MANN_WHITNEY', 6, 0)).toBeCloseTo(minAttainablePValue('MANN_WHITNEY', 6), 15);
  });

  it('is the p-value the tests give for such rounds', () => {
    // 14 rounds at +5 %, the 15th a burst on the base arm (−40 %): the largest |log-ratio|, negative.
    const ratios = [
      ...Array(14)
        .fill(0)
        .map((_, i) => Math.log(1.05 + i / 1000)),
      Math.log(0.6),
    ];
    expect(wilcoxonSignedRank(ratios, 'greater').pValue).toBeCloseTo(worstCasePValue('WILCOXON', 15, 1), 14);
    const head = [105, 106, 107, 108, 109, 110, 111];
    const base = [100, 101, 102, 103, 100.5, 101.5, 150];
    expect(mannWhitneyU(head, base, 'greater').pValue).toBeCloseTo(worstCasePValue('MANN_WHITNEY', 7, 1), 14);
  });

  it('with one adverse round: one alert 6, 2–3 alerts 7 (Mann–Whitney), 5 alerts 14, 10 alerts 15 pairs', () => {
    expect(roundsNeeded(1, 0.05, 30, undefined, 1)).toBe(6);
    expect(roundsNeeded(2, 0.05, 30, undefined, 1)).toBe(7);
    expect(roundsNeeded(3, 0.05, 30, undefined, 1)).toBe(7);
    expect(roundsNeeded(5, 0.05, 30, undefined, 1)).toBe(14); // 45/3432 > 0.01 at 7; 0.0067 ≤ 0.01 at 14 pairs
    expect(roundsNeeded(10, 0.05, 30, undefined, 1)).toBe(15);
    expect(roundsNeeded(20, 0.05, 30, undefined, 1)).toBe(17);
    expect(roundsNeeded(10, 0.05, 30, undefined, 2)).toBe(21);
    expect(() => roundsNeeded(10, 0.05, 30, undefined, -1)).toThrowError(/adverse/);
  });
});
