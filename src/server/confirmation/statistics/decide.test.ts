import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BenchlineError } from '../../errors.js';
import { type AlertArms, decide } from './decide.js';

// fixtures/scipy-reference.py, section "decide": scipy's wilcoxon (R ≥ 8, on log(head/base)) or
// mannwhitneyu(method='exact') (on log values), the brute-force Hodges–Lehmann interval, Holm, and
// the 1 % minimum effect, over five alerts taken alone and in families.
const reference: {
  decide: {
    alerts: AlertArms[];
    expected: {
      verdict: string;
      test: string;
      pValue: number;
      adjustedPValue: number;
      changePercent: number;
      lowerPercent: number;
      upperPercent: number;
    }[];
  }[];
} = JSON.parse(readFileSync(new URL('./fixtures/scipy-reference.json', import.meta.url), 'utf8'));

const rounds = (n: number, value: (i: number) => number) => Array.from({ length: n }, (_, i) => value(i));

describe('decide', () => {
  it('matches the scipy reference: tests, p-values, Holm, changes and intervals, verdicts', () => {
    for (const c of reference.decide) {
      const decisions = decide({ alerts: c.alerts });
      expect(decisions).toHaveLength(c.expected.length);
      decisions.forEach((d, i) => {
        const e = c.expected[i];
        expect(d.verdict).toBe(e.verdict);
        expect(d.test).toBe(e.test);
        expect(d.reason).toBeNull();
        expect(d.pValue).toBeCloseTo(e.pValue, 12);
        expect(d.adjustedPValue).toBeCloseTo(e.adjustedPValue, 12);
        expect(d.changePercent).toBeCloseTo(e.changePercent, 9);
        expect(d.lowerPercent).toBeCloseTo(e.lowerPercent, 9);
        expect(d.upperPercent).toBeCloseTo(e.upperPercent, 9);
        expect(d.confidence).toBeGreaterThanOrEqual(0.95);
      });
    }
    // The family matters: a 20 % slowdown at 5 rounds is p = 1/252 alone, more once Holm counts four others.
    const [alone] = decide({ alerts: reference.decide[0].alerts });
    const inFive = decide({ alerts: reference.decide[3].alerts })[0];
    expect(alone.adjustedPValue).toBe(alone.pValue);
    expect(inFive.adjustedPValue).toBeGreaterThan(alone.pValue!);
  });

  it('every round equal in both arms: CLEARED, p = 1, change 0 % in [0, 0]', () => {
    for (const n of [5, 10]) {
      const [d] = decide({
        alerts: [{ head: rounds(n, () => 30), base: rounds(n, () => 30), direction: 'up' }],
      });
      expect(d).toMatchObject({
        verdict: 'CLEARED',
        pValue: 1,
        changePercent: 0,
        lowerPercent: 0,
        upperPercent: 0,
      });
    }
  });

  it('constant arms that differ: 31 vs 30 in all 5 rounds is +3.33 %, p = 1/252, CONFIRMED', () => {
    const [d] = decide({
      alerts: [{ head: rounds(5, () => 31), base: rounds(5, () => 30), direction: 'up' }],
    });
    expect(d.verdict).toBe('CONFIRMED');
    expect(d.test).toBe('MANN_WHITNEY');
    expect(d.pValue).toBeCloseTo(1 / 252, 14);
    expect(d.changePercent).toBeCloseTo(100 / 30, 10);
  });

  it('the direction matters: a slowdown does not confirm a speed-up alert', () => {
    const head = rounds(8, (i) => 33 + i * 0.01);
    const base = rounds(8, (i) => 30 + i * 0.02);
    const [up] = decide({ alerts: [{ head, base, direction: 'up' }] });
    const [down] = decide({ alerts: [{ head, base, direction: 'down' }] });
    expect(up).toMatchObject({ verdict: 'CONFIRMED', test: 'WILCOXON' });
    expect(up.pValue).toBeCloseTo(1 / 256, 15);
    expect(down.verdict).toBe('CLEARED');
    expect(down.pValue).toBeCloseTo(1, 12);
  });

  it('a significant change under the minimum effect is CLEARED, and minEffectPercent moves the line', () => {
    const head = rounds(10, (i) => 30.15 + i * 0.01); // +0.5 %
    const base = rounds(10, (i) => 30 + i * 0.01);
    const [d] = decide({ alerts: [{ head, base, direction: 'up' }] });
    expect(d.pValue).toBeLessThan(0.01);
    expect(d.verdict).toBe('CLEARED');
    expect(decide({ alerts: [{ head, base, direction: 'up' }], minEffectPercent: 0.4 })[0].verdict).toBe(
      'CONFIRMED',
    );
  });

  it('values that cannot be logged are left out — in the paired test with their round’s partner', () => {
    const base = rounds(9, (i) => 30 + i * 0.01);
    const head = base.map((v) => v * 1.1);
    head[3] = Number.NaN;
    const [paired] = decide({ alerts: [{ head, base, direction: 'up' }] });
    expect(paired).toMatchObject({ verdict: 'CONFIRMED', test: 'WILCOXON', used: { head: 8, base: 8 } });
    head[4] = 0; // 7 complete pairs left: Mann–Whitney on 7 head and 9 base values
    base[0] = -1;
    base[1] = Number.POSITIVE_INFINITY;
    const [unpaired] = decide({ alerts: [{ head, base, direction: 'up' }] });
    expect(unpaired).toMatchObject({
      verdict: 'CONFIRMED',
      test: 'MANN_WHITNEY',
      used: { head: 7, base: 7 },
    });
  });

  it('too few usable rounds is UNCONFIRMABLE, not CLEARED: none, one, two (1/6 > α), or too many alerts for 5', () => {
    const alert = (head: number[], base: number[]): AlertArms => ({ head, base, direction: 'up' });
    const [none, one, two, three] = decide({
      alerts: [
        alert([], []),
        alert([31], [30]),
        alert([31, 31], [30, 30]),
        alert([Number.NaN, 0, 31], [30, 30, 30]),
      ],
    });
    expect(none).toMatchObject({
      verdict: 'UNCONFIRMABLE',
      reason: 'TOO_FEW_ROUNDS',
      pValue: null,
      changePercent: null,
    });
    expect(one).toMatchObject({
      verdict: 'UNCONFIRMABLE',
      reason: 'TOO_FEW_ROUNDS',
      used: { head: 1, base: 1 },
    });
    expect(two).toMatchObject({ verdict: 'UNCONFIRMABLE', reason: 'TOO_FEW_ROUNDS' });
    expect(three).toMatchObject({ verdict: 'UNCONFIRMABLE', used: { head: 1, base: 3 } });
    // Three rounds a side reach 1/20 = α for a single alert, so they are tested.
    expect(decide({ alerts: [alert([31, 31, 31], [30, 30, 30])] })[0]).toMatchObject({
      verdict: 'CONFIRMED',
      pValue: 0.05,
    });

    const clear = alert(
      rounds(5, () => 40),
      rounds(5, () => 30),
    );
    expect(
      decide({ alerts: Array.from({ length: 12 }, () => clear) }).every((d) => d.verdict === 'CONFIRMED'),
    ).toBe(true);
    // 13 alerts: 13/252 > 0.05, so even this can not pass Holm with 5 rounds.
    const thirteen = decide({ alerts: Array.from({ length: 13 }, () => clear) });
    expect(thirteen.every((d) => d.verdict === 'UNCONFIRMABLE' && d.reason === 'TOO_FEW_ROUNDS')).toBe(true);
  });

  it('more rounds than the exact tables take is UNCONFIRMABLE with TOO_MANY_ROUNDS, not a throw', () => {
    const [paired, unpaired] = decide({
      alerts: [
        { head: rounds(201, () => 31), base: rounds(201, () => 30), direction: 'up' },
        { head: rounds(70, () => 31), base: rounds(3, () => 30), direction: 'up' },
      ],
    });
    expect(paired).toMatchObject({ verdict: 'UNCONFIRMABLE', test: 'WILCOXON', reason: 'TOO_MANY_ROUNDS' });
    expect(unpaired).toMatchObject({
      verdict: 'UNCONFIRMABLE',
      test: 'MANN_WHITNEY',
      reason: 'TOO_MANY_ROUNDS',
    });
  });

  it('is a ratio test: scaling both arms changes nothing; swapping arms and direction keeps p and inverts the ratio', () => {
    const arm = fc.array(fc.double({ min: 1, max: 100, noNaN: true }), { minLength: 3, maxLength: 12 });
    fc.assert(
      fc.property(arm, arm, fc.constantFrom<'up' | 'down'>('up', 'down'), (head, base, direction) => {
        const [d] = decide({ alerts: [{ head, base, direction }] });
        const [scaled] = decide({
          alerts: [{ head: head.map((v) => v * 8), base: base.map((v) => v * 8), direction }],
        });
        expect(scaled.verdict).toBe(d.verdict);
        if (d.pValue !== null) expect(scaled.pValue).toBeCloseTo(d.pValue, 9);
        const [swapped] = decide({
          alerts: [{ head: base, base: head, direction: direction === 'up' ? 'down' : 'up' }],
        });
        expect(swapped.verdict === 'UNCONFIRMABLE').toBe(d.verdict === 'UNCONFIRMABLE');
        if (d.pValue === null || swapped.changePercent === null) return;
        expect(swapped.pValue).toBeCloseTo(d.pValue, 9);
        expect((1 + swapped.changePercent / 100) * (1 + d.changePercent! / 100)).toBeCloseTo(1, 9);
      }),
      { numRuns: 80 },
    );
  });

  it('never throws on the values, whatever they are', () => {
    const anything = fc.array(
      fc.oneof(fc.double(), fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY)),
      {
        maxLength: 12,
      },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            head: anything,
            base: anything,
            direction: fc.constantFrom<'up' | 'down'>('up', 'down'),
          }),
          { maxLength: 4 },
        ),
        (alerts) => {
          const decisions = decide({ alerts });
          expect(decisions).toHaveLength(alerts.length);
          for (const d of decisions) {
            expect(['CONFIRMED', 'CLEARED', 'UNCONFIRMABLE']).toContain(d.verdict);
            // Finite logs throughout; only an absurd ratio (a subnormal against a normal value) reaches ∞ %.
            if (d.verdict !== 'UNCONFIRMABLE') expect(d.changePercent).not.toBeNaN();
          }
        },
      ),
    );
    expect(decide({ alerts: [] })).toEqual([]);
  });

  it('refuses invalid options with BAD_INPUT', () => {
    const alerts: AlertArms[] = [{ head: [1, 2, 3], base: [1, 2, 3], direction: 'up' }];
    expect(() => decide({ alerts, alpha: 0 })).toThrowError(BenchlineError);
    expect(() => decide({ alerts, alpha: Number.NaN })).toThrowError(/alpha/);
    expect(() => decide({ alerts, minEffectPercent: -1 })).toThrowError(/minEffectPercent/);
    expect(() => decide({ alerts, confidence: 1 })).toThrowError(/confidence/);
    expect(() => decide({ alerts, wilcoxonFromRounds: 1 })).toThrowError(/wilcoxonFromRounds/);
  });
});
