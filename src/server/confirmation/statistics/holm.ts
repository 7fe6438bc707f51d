import { badInput } from '../../errors.js';
import { assertOpenUnit } from './validate.js';

export interface HolmResult {
  /** Holm-adjusted p-values, in the input's order: step-down max of (m − j + 1)·p(j), capped at 1. */
  adjusted: number[];
  /** adjusted ≤ alpha: the family-wise error rate across all of them stays ≤ alpha. */
  rejected: boolean[];
}

/** Holm–Bonferroni step-down correction (same adjusted values as statsmodels' multipletests 'holm'). */
export function holm(pValues: readonly number[], alpha: number): HolmResult {
  assertOpenUnit(alpha, 'alpha');
  const bad = pValues.findIndex((p) => typeof p !== 'number' || !(p >= 0 && p <= 1));
  if (bad >= 0)
    throw badInput(`pValues[${bad}] is ${String(pValues[bad])}; p-values lie in [0, 1]`, 'pValues');
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a] - pValues[b]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, j) => {
    running = Math.max(running, Math.min(1, (m - j) * pValues[index]));
    adjusted[index] = running;
  });
  return { adjusted, rejected: adjusted.map((p) => p <= alpha) };
}
