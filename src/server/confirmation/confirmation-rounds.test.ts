import { describe, expect, it } from 'vitest';
import { QUIET_PROBE_CV_PCT } from '../noise/confirmation-rounds.js';
import { confirmationRounds, MAX_ROUNDS } from './confirmation-rounds.js';
import { type AlertArms, decide } from './statistics/index.js';

/** A seeded generator (mulberry32), so the simulated rounds are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Normal noise by Box–Muller. */
function normal(next: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/**
 * One report's confirmation rounds: `alerts` benchmarks of ~30 ms, the first two 5 % slower in the
 * head image. Each round's two arms share a drift (the machine's state, ±10 %) and each value has
 * its own 1 % noise; in `disturbed` rounds a neighbour's burst lands on the base arm alone (+40 %).
 */
function simulate(rounds: number, alerts: number, disturbed: number, seed: number): AlertArms[] {
  const noise = normal(random(seed));
  return Array.from({ length: alerts }, (_, k) => {
    const head: number[] = [];
    const base: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const drift = Math.exp(0.1 * noise());
      const burst = r < disturbed ? 1.4 : 1;
      head.push(30 * drift * (k < 2 ? 1.05 : 1) * Math.exp(0.01 * noise()));
      base.push(30 * drift * burst * Math.exp(0.01 * noise()));
    }
    return { head, base, direction: 'up' };
  });
}

describe('confirmationRounds', () => {
  it('one alert keeps the asked rounds (default 5); more alerts grow them so Holm stays reachable', () => {
    const at = (alerts: number, asked = 5) =>
      confirmationRounds({ asked, alerts, alpha: 0.05, probeCv: null });
    expect(at(1)).toBe(5);
    expect(at(1, 9)).toBe(9);
    expect(at(2)).toBe(7);
    expect(at(10)).toBe(15);
    expect(at(10, 20)).toBe(20); // the asked rounds are a floor
    expect(at(10, 99)).toBe(MAX_ROUNDS);
    expect(at(1, 2)).toBe(5); // fewer than 5 cannot confirm one alert with any margin
    // α = 0.01 over 10 alerts asks 0.001: 17 pairs give 0.00158 with a disturbed round, 18 give 0.00097.
    expect(confirmationRounds({ asked: 5, alerts: 10, alpha: 0.01, probeCv: null })).toBe(18);
  });

  it('a noisier runner gets (CV / quiet CV)² times the rounds, up to the maximum', () => {
    const at = (probeCv: number | null, alerts = 1) =>
      confirmationRounds({ asked: 5, alerts, alpha: 0.05, probeCv });
    expect(at(QUIET_PROBE_CV_PCT)).toBe(5);
    expect(at(QUIET_PROBE_CV_PCT * Math.SQRT2)).toBe(10);
    expect(at(QUIET_PROBE_CV_PCT * 2)).toBe(20);
    expect(at(QUIET_PROBE_CV_PCT * 2, 10)).toBe(MAX_ROUNDS);
    expect(at(50)).toBe(MAX_ROUNDS);
  });

  it('2 real +5 % among 10 alerts with a disturbed round: CONFIRMED at the rounds chosen, not at the bare minimum', () => {
    const rounds = confirmationRounds({ asked: 5, alerts: 10, alpha: 0.05, probeCv: null });
    for (const seed of [1, 2, 3, 4, 5]) {
      const decisions = decide({ alerts: simulate(rounds, 10, 1, seed) });
      expect(decisions.map((d) => d.verdict)).toEqual([
        'CONFIRMED',
        'CONFIRMED',
        ...Array(8).fill('CLEARED'),
      ]);
      expect(decisions[0].changePercent).toBeGreaterThan(3);
      expect(decisions[0].changePercent).toBeLessThan(7);
    }
    // The rule before: the smallest R whose perfect separation reaches α / (10 · alerts) — 7
    // Mann–Whitney rounds; the same disturbed round keeps the slowdowns from confirming.
    const before = decide({ alerts: simulate(7, 10, 1, 1) });
    expect(before[0].verdict).toBe('CLEARED');
    expect(before[1].verdict).toBe('CLEARED');
  });
});
