import { sql } from 'kysely';
import { checkName } from '../accounts/slug.js';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import { BenchlineError, badInput } from '../errors.js';
import { SLUG_ATTEMPTS, suffixedSlug } from '../projects/free-slug.js';
import { checkResourceSlug, ensureResource, maxSlugLength, resourceSlug } from '../projects/resources.js';
import { builtInMeasure } from './adapters/measures.js';

/**
 * A measure on first use: a built-in one gets its display name and units, another one keeps the
 * key as its name, with units "units".
 */
export async function ensureMeasure(db: Database, projectId: string, slugOrName: string) {
  const builtIn = builtInMeasure(slugOrName);
  const { row } = await ensureResource(db, 'measure', projectId, slugOrName, {
    ...(builtIn?.name ? { name: builtIn.name } : {}),
    units: builtIn?.units ?? 'units',
  });
  return row;
}

/** A measure the report's read did not find, as ensureMeasure would insert it. */
interface MeasurePlan {
  key: string;
  name: string;
  slug: string;
  units: string;
}

export interface Resolved {
  /** Slug-or-name → id of every measure key. */
  measureIds: Map<string, string>;
  /** Name → id of every benchmark name. */
  benchmarkIds: Map<string, string>;
  /**
   * Measures found only after the insert (created meanwhile by another run, or found by slug or
   * name through another key): unlike those created here, they may have thresholds.
   */
  foundLater: string[];
}

/**
 * Find-or-create for what `lockReport` did not find, with the semantics of calling ensureMeasure
 * for every measure key in order and then finding-or-creating the benchmarks by name: the missing
 * measures and benchmarks are inserted by ONE statement (ON CONFLICT DO NOTHING, so a concurrent run
 * creating the same ones is harmless). A measure key it did not insert (a conflict, or a key that
 * ensureMeasure would have found among the measures created for earlier keys) then goes through
 * ensureMeasure (which gives a clashing slug a suffix), and a benchmark through the read-back of
 * concurrent inserts, or is inserted again under a suffixed slug when another name has its slug;
 * errors come in the order the one-at-a-time calls would have raised them.
 */
export async function ensureMissing(
  db: Database,
  projectId: string,
  measureKeys: readonly string[],
  benchmarkNames: readonly string[],
  found: { measureIds: ReadonlyMap<string, string>; benchmarkIds: ReadonlyMap<string, string> },
): Promise<Resolved> {
  const measureIds = new Map(found.measureIds);
  const benchmarkIds = new Map(found.benchmarkIds);
  const resolved: Resolved = { measureIds, benchmarkIds, foundLater: [] };
  const missingKeys = measureKeys.filter((key) => !measureIds.has(key));
  const missingNames = benchmarkNames.filter((name) => !benchmarkIds.has(name));
  if (missingKeys.length === 0 && missingNames.length === 0) return resolved;

  const { plan, complete } = planMeasures(missingKeys);
  // Benchmarks come after every measure: only inserted along with them when none can fail first.
  const withBenchmarks = complete && missingNames.every((name) => benchmarkNameError(name) === null);
  const inserted = await insertMissing(
    db,
    projectId,
    plan,
    withBenchmarks ? benchmarkPlan(missingNames) : [],
  );

  // Rows are returned by name (unique in a project); a later key planned with the same name lost.
  const plannedKey = new Map<string, string>();
  for (const p of plan) if (!plannedKey.has(p.name)) plannedKey.set(p.name, p.key);
  const insertedByKey = new Map<string, string>();
  for (const [name, id] of inserted.measures) insertedByKey.set(plannedKey.get(name) as string, id);
  for (const key of missingKeys) {
    const id = insertedByKey.get(key) ?? (await ensureMeasure(db, projectId, key)).id;
    if (!insertedByKey.has(key)) resolved.foundLater.push(id);
    measureIds.set(key, id);
  }

  if (missingNames.length === 0) return resolved;
  if (!withBenchmarks) {
    checkBenchmarkNames(missingNames);
    // Not inserted above only because a measure might have failed first; none did (a race).
    const late = await insertMissing(db, projectId, [], benchmarkPlan(missingNames));
    for (const [name, id] of late.benchmarks) benchmarkIds.set(name, id);
  } else {
    for (const [name, id] of inserted.benchmarks) benchmarkIds.set(name, id);
  }
  await readBackBenchmarks(db, projectId, missingNames, benchmarkIds);
  return resolved;
}

/**
 * The rows ensureMeasure would insert for the missing keys, in order, up to the first key whose
 * name or slug is invalid (`complete` false: ensureMeasure raises that error later, after the
 * earlier keys). A key that ensureMeasure would find among the rows inserted for earlier keys (by
 * slug or name) is not planned: ensureMeasure finds it after the insert.
 */
function planMeasures(missingKeys: readonly string[]): { plan: MeasurePlan[]; complete: boolean } {
  const plan: MeasurePlan[] = [];
  for (const key of missingKeys) {
    if (plan.some((p) => p.slug === key || p.name === key)) continue;
    let name: string;
    let slug: string;
    try {
      name = checkName(key, 'name', 256);
      slug = checkResourceSlug('measure', resourceSlug('measure', name));
    } catch {
      return { plan, complete: false };
    }
    const builtIn = builtInMeasure(key);
    plan.push({ key, name: builtIn?.name ?? name, slug, units: builtIn?.units ?? 'units' });
  }
  return { plan, complete: true };
}

interface BenchmarkPlan {
  name: string;
  slug: string;
}

/**
 * Each new benchmark's slug: derived from its name, or suffixed when an earlier name of the same
 * output derives the same one (`x y` and `x-y` are two benchmarks).
 */
function benchmarkPlan(names: readonly string[]): BenchmarkPlan[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let slug = benchmarkSlugOf(name);
    if (taken.has(slug)) slug = suffixedSlug(slug, maxSlugLength('benchmark'));
    taken.add(slug);
    return { name, slug };
  });
}

/** Measures and benchmarks in one statement; returns name → id of the rows it inserted. */
async function insertMissing(
  db: Database,
  projectId: string,
  measures: readonly MeasurePlan[],
  benchmarks: readonly BenchmarkPlan[],
): Promise<{ measures: Map<string, string>; benchmarks: Map<string, string> }> {
  const out = { measures: new Map<string, string>(), benchmarks: new Map<string, string>() };
  if (measures.length === 0 && benchmarks.length === 0) return out;
  const { rows } = await sql<{ kind: 'measure' | 'benchmark'; id: string; name: string }>`${sql.raw(PREPARED)}
    WITH m AS (
      INSERT INTO measure (project_id, name, slug, units)
      SELECT ${projectId}::uuid, name, slug, units
      FROM unnest(${measures.map((m) => m.name)}::text[], ${measures.map((m) => m.slug)}::text[],
                  ${measures.map((m) => m.units)}::text[]) AS t(name, slug, units)
      ON CONFLICT DO NOTHING
      RETURNING 'measure' AS kind, id, name
    ),
    b AS (
      INSERT INTO benchmark (project_id, name, slug)
      SELECT ${projectId}::uuid, name, slug
      FROM unnest(${benchmarks.map((b) => b.name)}::text[], ${benchmarks.map((b) => b.slug)}::text[]) AS t(name, slug)
      ON CONFLICT DO NOTHING
      RETURNING 'benchmark' AS kind, id, name
    )
    SELECT * FROM m UNION ALL SELECT * FROM b
  `.execute(db);
  for (const row of rows) out[row.kind === 'measure' ? 'measures' : 'benchmarks'].set(row.name, row.id);
  return out;
}

function benchmarkNameError(name: string): string | null {
  if (name.trim() !== name || name.length > 1024) {
    return `benchmark name ${JSON.stringify(name.slice(0, 60))} is blank, padded or too long`;
  }
  return null;
}

function checkBenchmarkNames(names: readonly string[]): void {
  for (const name of names) {
    const error = benchmarkNameError(name);
    if (error) throw badInput(error);
  }
}

/**
 * The benchmarks the insert did not create: created meanwhile by another run (found by name), or
 * their slug belongs to a differently named benchmark, and they are inserted again under a
 * suffixed slug. A benchmark is its exact name: a name is never filed under another one's row.
 */
async function readBackBenchmarks(
  db: Database,
  projectId: string,
  missing: readonly string[],
  ids: Map<string, string>,
): Promise<void> {
  for (let attempt = 0; attempt <= SLUG_ATTEMPTS; attempt++) {
    const still = missing.filter((n) => !ids.has(n));
    if (still.length === 0) return;
    const again = await sql<{ id: string; name: string }>`
      SELECT id, name FROM benchmark WHERE project_id = ${projectId}::uuid AND name = any(${still}::text[])
    `.execute(db);
    for (const row of again.rows) ids.set(row.name, row.id);
    const taken = still.filter((n) => !ids.has(n));
    if (taken.length === 0 || attempt === SLUG_ATTEMPTS) break;
    const retry = taken.map((name) => ({
      name,
      slug: suffixedSlug(benchmarkSlugOf(name), maxSlugLength('benchmark')),
    }));
    const inserted = await insertMissing(db, projectId, [], retry);
    for (const [name, id] of inserted.benchmarks) ids.set(name, id);
  }
  const left = missing.find((n) => !ids.has(n));
  if (left !== undefined) {
    throw new BenchlineError(
      'CONFLICT',
      `could not pick a free slug for benchmark "${left.slice(0, 80)}"; try again`,
    );
  }
}

function benchmarkSlugOf(name: string): string {
  return resourceSlug('benchmark', name);
}
