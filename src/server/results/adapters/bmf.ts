/** Bencher Metric Format: benchmark name → measure slug → metric. */
export interface BmfMetric {
  value: number;
  lower_value?: number;
  upper_value?: number;
}

export type Bmf = Record<string, Record<string, BmfMetric>>;

export type BmfValidation = { ok: true; bmf: Bmf } | { ok: false; error: string };

/** Longest benchmark name or measure slug accepted, as in Bencher. */
export const MAX_NAME_LENGTH = 1024;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isValidName(name: string): boolean {
  return name.trim().length > 0 && name.length <= MAX_NAME_LENGTH;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : typeof value;
}

function validateMetric(raw: unknown, where: string): BmfMetric | string {
  if (!isPlainObject(raw)) return `${where} must be an object like {"value": 1.5}, got ${describe(raw)}`;
  // Other fields (a "unit", a "description") are ignored, as Bencher's serde ignores them.
  const value = raw.value;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return `${where}.value must be a finite number, got ${describe(value)}`;
  }
  const metric: BmfMetric = { value };
  for (const bound of ['lower_value', 'upper_value'] as const) {
    const b = raw[bound];
    // serde reads `null` as an absent Option, so Bencher clients may send it.
    if (b === undefined || b === null) continue;
    if (typeof b !== 'number' || !Number.isFinite(b)) {
      return `${where}.${bound} must be a finite number when present, got ${describe(b)}`;
    }
    metric[bound] = b;
  }
  if (
    metric.lower_value !== undefined &&
    metric.upper_value !== undefined &&
    metric.lower_value > metric.upper_value
  ) {
    return `${where} has lower_value ${metric.lower_value} above its upper_value ${metric.upper_value}`;
  }
  return metric;
}

/**
 * Checks an already-decoded JSON value against BMF. Builds fresh objects so `__proto__` keys stay
 * data. As in Bencher, `{}` is a valid output with no benchmarks and a benchmark with no measures
 * adds nothing.
 */
export function validateBmf(raw: unknown): BmfValidation {
  if (!isPlainObject(raw)) {
    return { ok: false, error: `BMF must be a JSON object of benchmarks, got ${describe(raw)}` };
  }
  const benchmarks = Object.entries(raw);
  const out: [string, Record<string, BmfMetric>][] = [];
  for (const [name, measures] of benchmarks) {
    if (!isValidName(name)) {
      return { ok: false, error: `benchmark name ${JSON.stringify(name.slice(0, 40))} is blank or too long` };
    }
    const where = `benchmark ${JSON.stringify(name)}`;
    if (!isPlainObject(measures)) {
      return { ok: false, error: `${where} must map measure slugs to metrics, got ${describe(measures)}` };
    }
    const entries = Object.entries(measures);
    if (entries.length === 0) continue;
    const metrics: [string, BmfMetric][] = [];
    for (const [slug, rawMetric] of entries) {
      if (!isValidName(slug)) return { ok: false, error: `${where} has a blank or too long measure slug` };
      const metric = validateMetric(rawMetric, `${where} measure "${slug}"`);
      if (typeof metric === 'string') return { ok: false, error: metric };
      metrics.push([slug, metric]);
    }
    out.push([name, Object.fromEntries(metrics)]);
  }
  return { ok: true, bmf: Object.fromEntries(out) };
}

/** Parses JSON text as BMF; never throws. */
export function parseBmfJson(text: string): BmfValidation {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  return validateBmf(raw);
}
