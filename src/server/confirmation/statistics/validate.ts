import { badInput } from '../../errors.js';

export function assertFinite(values: readonly number[], field: string): void {
  if (!Array.isArray(values)) throw badInput(`${field} must be an array of numbers`, field);
  const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) throw badInput(`${field}[${bad}] is ${String(values[bad])}; finite numbers only`, field);
}

export function assertAlternative(alternative: string): void {
  if (alternative !== 'greater' && alternative !== 'less')
    throw badInput(`alternative must be 'greater' or 'less', not ${String(alternative)}`, 'alternative');
}

/** A probability strictly between 0 and 1 (alpha, a confidence). */
export function assertOpenUnit(value: number, field: string): void {
  if (typeof value !== 'number' || !(value > 0 && value < 1))
    throw badInput(`${field} must be between 0 and 1 (exclusive), not ${String(value)}`, field);
}
