import { describe, expect, it } from 'vitest';
import { roundsForPower } from './rounds-for-power.js';

// Reference values from scipy (Debian's python3-scipy 1.10), the same formula written out:
//   from scipy.stats import norm; import math
//   za = norm.ppf(1 - alpha / m); zp = norm.ppf(0.8); d = max(min_effect, 0.75 * abs(change))
//   n = math.ceil(((za + zp) * math.sqrt(2) * cv / d) ** 2 / (3 / math.pi)) + 1
// → (0.06, 0.03) alone: 7; sixteen of them: 13; sixteen at cv 0.05: 35; (0.5, 0.33): 12;
//   (0.002, 0.01), floored at the 1 % minimum effect: 14.
describe('roundsForPower', () => {
  it('matches the normal-approximation sample size computed with scipy', () => {
    expect(roundsForPower([{ change: 0.06, cv: 0.03 }], 0.05, 0.01)).toBe(7);
    expect(roundsForPower(Array(16).fill({ change: 0.06, cv: 0.03 }), 0.05, 0.01)).toBe(13);
    expect(roundsForPower(Array(16).fill({ change: 0.06, cv: 0.05 }), 0.05, 0.01)).toBe(35);
    expect(roundsForPower([{ change: 0.5, cv: 0.33 }], 0.05, 0.01)).toBe(12);
    expect(roundsForPower([{ change: 0.002, cv: 0.01 }], 0.05, 0.01)).toBe(14);
  });

  it('takes the alert that needs the most, in either direction, and skips alerts of unknown noise', () => {
    const one = roundsForPower([{ change: 0.06, cv: 0.03 }], 0.05, 0.01)!;
    const lower = roundsForPower([{ change: -0.06, cv: 0.03 }], 0.05, 0.01)!;
    expect(lower).toBe(one);
    const mixed = roundsForPower(
      [
        { change: 0.3, cv: 0.01 },
        { change: 0.06, cv: 0.03 },
        { change: 0.06, cv: null },
      ],
      0.05,
      0.01,
    )!;
    // Three alerts: Holm's level is α / 3, so the 6 % one needs more than alone.
    expect(mixed).toBeGreaterThan(one);
    expect(roundsForPower([{ change: 0.06, cv: null }], 0.05, 0.01)).toBeNull();
    expect(roundsForPower([], 0.05, 0.01)).toBeNull();
  });

  it('grows with noise and alerts, shrinks with the change', () => {
    const base = roundsForPower([{ change: 0.1, cv: 0.03 }], 0.05, 0.01)!;
    expect(roundsForPower([{ change: 0.1, cv: 0.06 }], 0.05, 0.01)!).toBeGreaterThan(base);
    expect(roundsForPower([{ change: 0.2, cv: 0.03 }], 0.05, 0.01)!).toBeLessThan(base);
    expect(roundsForPower(Array(5).fill({ change: 0.1, cv: 0.03 }), 0.05, 0.01)!).toBeGreaterThan(base);
  });
});
