import { type Limits, type ModelParams, NO_LIMITS } from './model.js';
import { quartiles } from './stats.js';

/** Relative run-to-run changes |(x[i+1] − x[i]) / x[i]| between neighbours in the newest-first history. */
export function relativeChanges(history: readonly number[]): number[] {
  const changes: number[] = [];
  for (let i = 0; i + 1 < history.length; i++) {
    changes.push(Math.abs((history[i + 1] - history[i]) / history[i]));
  }
  return changes;
}

/**
 * Like IQR, but the spread is the IQR of relative changes, scaled back to units by the median: it tracks
 * how much consecutive runs usually move, which stays tight on histories that drift slowly.
 */
export function deltaIqrLimits(history: number[], params: ModelParams): Limits {
  if (history.length < 2) return { ...NO_LIMITS };
  const { q2 } = quartiles(history);
  const changes = relativeChanges(history);
  // A zero in the history makes a change infinite or NaN (which would also corrupt the sort): no limit then.
  if (!changes.every(Number.isFinite)) return { baseline: q2, lowerLimit: null, upperLimit: null };
  const delta = quartiles(changes);
  const spread = q2 * (delta.q3 - delta.q1);
  const { lowerBoundary, upperBoundary } = params;
  return {
    baseline: q2,
    lowerLimit: lowerBoundary === null ? null : q2 - spread * lowerBoundary,
    upperLimit: upperBoundary === null ? null : q2 + spread * upperBoundary,
  };
}
