/**
 * Downsampling a metric series for a plot: its time range is cut into `columns` equal buckets (the
 * plot's pixel columns) and each bucket keeps its lowest and its highest point, so every spike and
 * dip stays visible at any zoom; the series' first and last point keep the range, and every point
 * that must stay (an alert: where the value crossed its boundary) is kept whatever its bucket.
 *
 * perf.ts has PostgreSQL compute the buckets' extremes (one pass over the series index, nothing
 * shipped per point); this module is the same rule on points in memory, which the tests hold the
 * server's answers to, and the one place that says how ties and bucket edges go.
 */

export interface SamplePoint {
  /** Microseconds since the epoch (what PostgreSQL stores; exact as a double for 285 years). */
  time: number;
  iteration: number;
  value: number;
  /** The point raised an alert. */
  alert?: boolean;
  lowerLimit?: number | null;
  upperLimit?: number | null;
}

/** The bucket of `time` when [t0, t1] is cut into `columns`; written as perf.ts's SQL computes it. */
export function bucketOf(time: number, t0: number, t1: number, columns: number): number {
  if (t1 === t0) return 0;
  return Math.min(columns - 1, Math.floor(((time - t0) / (t1 - t0)) * columns));
}

/** An alert point, or a value outside the limits it was checked against (a boundary crossing). */
export function mustKeep(p: SamplePoint): boolean {
  if (p.alert) return true;
  if (p.lowerLimit != null && p.value < p.lowerLimit) return true;
  return p.upperLimit != null && p.value > p.upperLimit;
}

/** Orders points as the series index does: by time, then iteration. */
export function byTime(
  a: { time: number; iteration: number },
  b: { time: number; iteration: number },
): number {
  return a.time - b.time || a.iteration - b.iteration;
}

/** Lowest value first; equal values: the earlier point (PostgreSQL's min over [value, time, iteration]). */
function lower(a: SamplePoint, b: SamplePoint): boolean {
  return a.value < b.value || (a.value === b.value && byTime(a, b) < 0);
}

/**
 * The points a plot of `columns` pixel columns needs, in time order. A series of at most
 * 2 × columns points is returned whole; `points` must be in time order.
 */
export function downsample<P extends SamplePoint>(points: readonly P[], columns: number): P[] {
  if (!Number.isInteger(columns) || columns < 1) throw new RangeError('columns must be a positive integer');
  if (points.length <= 2 * columns) return [...points];
  const t0 = points[0].time;
  const t1 = points[points.length - 1].time;
  const lo = new Array<P | undefined>(columns);
  const hi = new Array<P | undefined>(columns);
  const kept = new Set<P>([points[0], points[points.length - 1]]);
  for (const p of points) {
    const b = bucketOf(p.time, t0, t1, columns);
    const l = lo[b];
    const h = hi[b];
    if (!l || lower(p, l)) lo[b] = p;
    if (!h || lower(h, p)) hi[b] = p;
    if (mustKeep(p)) kept.add(p);
  }
  for (const p of lo) if (p) kept.add(p);
  for (const p of hi) if (p) kept.add(p);
  return [...kept].sort(byTime);
}
