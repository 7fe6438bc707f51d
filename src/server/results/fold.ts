import type { Bmf, BmfMetric } from './adapters/index.js';

export type Fold = 'MIN' | 'MAX' | 'MEAN' | 'MEDIAN';

export const FOLDS: readonly Fold[] = ['MIN', 'MAX', 'MEAN', 'MEDIAN'];

function mean(values: number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Combines one benchmark+measure's metrics from several iterations into one. */
export function foldMetrics(metrics: readonly BmfMetric[], fold: Fold): BmfMetric {
  if (metrics.length === 1) return { ...metrics[0] };
  if (fold === 'MIN' || fold === 'MAX') {
    // As in Bencher, MIN and MAX pick the whole metric (value with its bounds) of the extreme iteration.
    let pick = metrics[0];
    for (const m of metrics) {
      if (fold === 'MIN' ? m.value < pick.value : m.value > pick.value) pick = m;
    }
    return { ...pick };
  }
  // MEAN and MEDIAN combine each component over the iterations that report it.
  const combine = fold === 'MEAN' ? mean : median;
  const out: BmfMetric = { value: combine(metrics.map((m) => m.value)) };
  for (const bound of ['lower_value', 'upper_value'] as const) {
    const values = metrics.map((m) => m[bound]).filter((v): v is number => typeof v === 'number');
    if (values.length > 0) out[bound] = combine(values);
  }
  return out;
}

/**
 * Folds the parsed iterations of one run into a single set, as Bencher's `--fold` does: every
 * benchmark+measure seen in any iteration is folded over the iterations that have it. Order of
 * benchmarks and measures follows their first appearance.
 */
export function foldIterations(iterations: readonly Bmf[], fold: Fold): Bmf {
  const collected = new Map<string, Map<string, BmfMetric[]>>();
  for (const bmf of iterations) {
    for (const [benchmark, measures] of Object.entries(bmf)) {
      let byMeasure = collected.get(benchmark);
      if (!byMeasure) {
        byMeasure = new Map();
        collected.set(benchmark, byMeasure);
      }
      for (const [measure, metric] of Object.entries(measures)) {
        const list = byMeasure.get(measure);
        if (list) list.push(metric);
        else byMeasure.set(measure, [metric]);
      }
    }
  }
  // Object.fromEntries defines own properties, so a benchmark named "__proto__" stays data.
  return Object.fromEntries(
    [...collected].map(([benchmark, byMeasure]) => [
      benchmark,
      Object.fromEntries([...byMeasure].map(([measure, list]) => [measure, foldMetrics(list, fold)])),
    ]),
  );
}
