import { type AdapterName, AdapterParseError } from './adapter.js';
import { CALLGRIND_MEASURES, DHAT_MEASURES, errorToolMeasures, type GungraunMeasure } from './measures.js';
import { type BmfBuilder, finite, isObject } from './parse-util.js';

type Table = ReadonlyMap<string, string>;
const table = (rows: readonly GungraunMeasure[]): Table =>
  new Map(rows.flatMap(([, , slug, , key]) => (key ? [[key, slug] as const] : [])));

/** Metric key → measure slug per summary kind; error tools by the tool that ran. */
const SUMMARIES: Record<string, Table> = {
  Callgrind: table(CALLGRIND_MEASURES),
  Cachegrind: table(CALLGRIND_MEASURES),
  Dhat: table(DHAT_MEASURES),
};
const ERROR_TOOLS: Record<string, Table> = {
  Memcheck: table(errorToolMeasures('Memcheck')),
  Helgrind: table(errorToolMeasures('Helgrind')),
  DRD: table(errorToolMeasures('DRD')),
};

/**
 * Gungraun's (iai-callgrind's) JSON output (`--output-format=json`): an array of benchmark summaries,
 * read as Bencher reads it. Each is named `<module_path>::<id>`; each profile's total summary
 * (`{"Callgrind": {"Ir": {"metrics": {"Both": [{"Int": new}, {"Int": old}]}}}}`, `Left` without an
 * old run) gives the new value of every metric Bencher knows; other metrics and tools are dropped.
 * Returns false when the output is not such an array, so the caller reads it as text.
 */
export function readGungraunJson(adapter: AdapterName, output: string, bmf: BmfBuilder): boolean {
  const text = output.trim();
  if (!text.startsWith('[')) return false;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return false;
  }
  if (!Array.isArray(raw)) return false;
  for (const [i, entry] of raw.entries()) {
    if (!isObject(entry) || typeof entry.module_path !== 'string' || !Array.isArray(entry.profiles)) {
      throw new AdapterParseError(
        adapter,
        `entry ${i} of the Gungraun JSON needs "module_path" and "profiles" (is it \`--output-format=json\` output?)`,
      );
    }
    // Bencher refuses the whole output when an id is null (a benchmark without #[bench::id]); the
    // module path alone still names it uniquely.
    const name = typeof entry.id === 'string' ? `${entry.module_path}::${entry.id}` : entry.module_path;
    for (const profile of entry.profiles) {
      const summary = isObject(profile) && isObject(profile.summaries) ? profile.summaries.total : undefined;
      if (!isObject(summary) || !isObject(summary.summary)) continue;
      for (const [kind, metrics] of Object.entries(summary.summary)) {
        const slugs = kind === 'ErrorTool' ? ERROR_TOOLS[String(profile.tool)] : SUMMARIES[kind];
        if (!slugs || !isObject(metrics)) continue;
        for (const [key, diff] of Object.entries(metrics)) {
          const slug = slugs.get(key);
          const value = slug === undefined ? undefined : newValue(diff);
          if (slug !== undefined && value !== undefined) bmf.add(name, slug, { value });
        }
      }
    }
  }
  return true;
}

/** The new run's value of `{"metrics": {"Both": [new, old]}}` or `{"metrics": {"Left": new}}`. */
function newValue(diff: unknown): number | undefined {
  if (!isObject(diff) || !isObject(diff.metrics)) return undefined;
  const { Both, Left } = diff.metrics;
  const metric = Array.isArray(Both) ? Both[0] : Left;
  if (!isObject(metric)) return undefined;
  const n = metric.Int ?? metric.Float;
  return finite(n) ? n : undefined;
}
