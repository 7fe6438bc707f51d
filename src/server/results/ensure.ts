import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { badInput } from '../errors.js';
import { ensureResource, resourceSlug } from '../projects/resources.js';
import { BUILT_IN_MEASURES } from './adapters/index.js';

/** A measure on first use: a built-in one gets its name and units, another one units "units". */
export async function ensureMeasure(db: Database, projectId: string, slugOrName: string) {
  const builtIn = Object.hasOwn(BUILT_IN_MEASURES, slugOrName) ? BUILT_IN_MEASURES[slugOrName] : undefined;
  const { row } = await ensureResource(
    db,
    'measure',
    projectId,
    slugOrName,
    builtIn ? { name: builtIn.name, units: builtIn.units } : { units: 'units' },
  );
  return row;
}

/**
 * Find-or-create many benchmarks in three statements (ensureResource does one at a time): by
 * name, then insert the missing ones (ON CONFLICT DO NOTHING, so a concurrent run creating the
 * same benchmark is harmless), then read back what a concurrent insert or a slug clash left.
 */
export async function ensureBenchmarks(
  db: Database,
  projectId: string,
  names: readonly string[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (names.length === 0) return ids;
  const found = await db
    .selectFrom('benchmark')
    .select(['id', 'name'])
    .where('project_id', '=', projectId)
    .where(sql<boolean>`name = any(${names as string[]}::text[])`)
    .execute();
  for (const row of found) ids.set(row.name, row.id);
  const missing = names.filter((n) => !ids.has(n));
  if (missing.length === 0) return ids;
  for (const name of missing) {
    if (name.trim() !== name || name.length > 1024) {
      throw badInput(`benchmark name ${JSON.stringify(name.slice(0, 60))} is blank, padded or too long`);
    }
  }
  const slugs = missing.map(benchmarkSlugOf);
  const inserted = await sql<{ id: string; name: string }>`
    INSERT INTO benchmark (project_id, name, slug)
    SELECT ${projectId}::uuid, name, slug FROM unnest(${missing}::text[], ${slugs}::text[]) AS t(name, slug)
    ON CONFLICT DO NOTHING
    RETURNING id, name
  `.execute(db);
  for (const row of inserted.rows) ids.set(row.name, row.id);
  const still = missing.filter((n) => !ids.has(n));
  if (still.length > 0) {
    // Created meanwhile by another run, or the slug is taken by a differently spelled benchmark: reuse that one.
    const again = await sql<{ id: string; name: string; slug: string }>`
      SELECT id, name, slug FROM benchmark
      WHERE project_id = ${projectId}::uuid
        AND (name = any(${still}::text[]) OR slug = any(${still.map(benchmarkSlugOf)}::text[]))
    `.execute(db);
    const byName = new Map(again.rows.map((r) => [r.name, r.id]));
    const bySlug = new Map(again.rows.map((r) => [r.slug, r.id]));
    for (const name of still) {
      const id = byName.get(name) ?? bySlug.get(benchmarkSlugOf(name));
      if (!id) throw badInput(`benchmark "${name.slice(0, 80)}" could not be created; name it differently`);
      ids.set(name, id);
    }
  }
  // Two names of one output may not land on one benchmark (their slugs clash): that would merge their series.
  const owners = new Map<string, string>();
  for (const name of names) {
    const id = ids.get(name) as string;
    const other = owners.get(id);
    if (other !== undefined) {
      throw badInput(
        `benchmarks "${other.slice(0, 60)}" and "${name.slice(0, 60)}" have the same slug; rename one of them`,
      );
    }
    owners.set(id, name);
  }
  return ids;
}

function benchmarkSlugOf(name: string): string {
  return resourceSlug('benchmark', name);
}
