import { checkName, slugify } from '../accounts/slug.js';
import type { Database } from '../db/database.js';
import { badInput, fromDatabaseError, notFound } from '../errors.js';

/** The things that live inside a project and share one shape: a name and a slug unique in the project. */
export type ResourceTable = 'branch' | 'testbed' | 'measure' | 'benchmark';

const RESOURCE_SLUG = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** Benchmark names are free text (a harness decides them); their slugs can be longer. */
export function resourceSlug(table: ResourceTable, name: string): string {
  if (table === 'benchmark') return benchmarkSlug(name);
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
    .slice(0, 128);
  return slug || slugify(name);
}

function benchmarkSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 1100) || 'benchmark'
  );
}

export function checkResourceSlug(table: ResourceTable, slug: string): string {
  if (table !== 'benchmark' && !RESOURCE_SLUG.test(slug)) {
    throw badInput(
      `"${slug.slice(0, 80)}" is not a valid ${table} slug: 1-128 lower-case letters, digits, dots, dashes, underscores`,
      'slug',
    );
  }
  return slug;
}

export interface ResourceInput {
  name: string;
  slug?: string | null;
  /** Extra columns of the table: a measure's units, a testbed's spec. */
  extra?: Record<string, unknown>;
}

export async function createResource(
  db: Database,
  table: ResourceTable,
  projectId: string,
  input: ResourceInput,
) {
  const name = checkName(input.name, 'name', table === 'benchmark' ? 1024 : 256);
  const slug = checkResourceSlug(table, input.slug ?? resourceSlug(table, name));
  try {
    return await db
      .insertInto(table)
      .values({ project_id: projectId, name, slug, ...(input.extra as object) } as never)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    throw fromDatabaseError(error, table);
  }
}

/** The inputs only some tables take; the others ignore them. */
export interface ResourceExtraInput {
  /** Measures: the units (a new measure gets "units"). */
  units?: string | null;
  /** Testbeds: the slug of the spec its jobs run on. */
  spec?: string | null;
  /** Branches, on creation: the slug of the branch it starts from, and at which hash. */
  startPoint?: string | null;
  startPointHash?: string | null;
}

/** The columns a create or update sets beyond name and slug (`extra` of ResourceInput and ResourcePatch). */
export async function resourceExtraColumns(
  db: Database,
  table: ResourceTable,
  projectId: string,
  input: ResourceExtraInput,
  options: { creating: boolean; now: Date },
): Promise<Record<string, unknown>> {
  const extra: Record<string, unknown> = {};
  if (table === 'measure' && (input.units != null || options.creating)) extra.units = input.units ?? 'units';
  if (table === 'testbed' && input.spec != null) {
    const spec = await db.selectFrom('spec').select('id').where('slug', '=', input.spec).executeTakeFirst();
    if (!spec) throw notFound(`spec "${input.spec}"`, 'see benchline spec list');
    extra.spec_id = spec.id;
  }
  if (table === 'branch' && input.startPointHash && !input.startPoint) {
    // A hash alone names no branch to start from; dropping it silently would start from nothing.
    throw badInput('a start point hash needs a start point branch: give startPoint too', 'startPointHash');
  }
  if (table === 'branch' && input.startPoint) {
    const base = await db
      .selectFrom('branch')
      .select('id')
      .where('project_id', '=', projectId)
      .where('slug', '=', input.startPoint)
      .executeTakeFirst();
    if (!base) throw notFound(`start point branch "${input.startPoint}"`);
    extra.start_point_branch_id = base.id;
    extra.start_point_hash = input.startPointHash ?? null;
    extra.start_point_time = options.now;
  }
  return extra;
}

export interface ResourcePatch {
  name?: string | null;
  slug?: string | null;
  archived?: boolean | null;
  extra?: Record<string, unknown>;
}

export async function updateResource(
  db: Database,
  table: ResourceTable,
  id: string,
  patch: ResourcePatch,
  now: Date,
) {
  const set: Record<string, unknown> = { updated_at: now, ...patch.extra };
  if (patch.name != null) set.name = checkName(patch.name, 'name', table === 'benchmark' ? 1024 : 256);
  if (patch.slug != null) set.slug = checkResourceSlug(table, patch.slug);
  if (patch.archived != null) set.archived_at = patch.archived ? now : null;
  try {
    const row = await db
      .updateTable(table)
      .set(set as never)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(table);
    return row;
  } catch (error) {
    throw fromDatabaseError(error, table);
  }
}

/** Finds by slug or name within the project; used by createRun, which creates what is missing. */
export async function findResource(
  db: Database,
  table: ResourceTable,
  projectId: string,
  nameOrSlug: string,
) {
  return db
    .selectFrom(table)
    .selectAll()
    .where('project_id', '=', projectId)
    .where((eb) => eb.or([eb('slug', '=', nameOrSlug), eb('name', '=', nameOrSlug)]))
    .orderBy(db.dynamic.ref('slug'))
    .executeTakeFirst();
}

/** Find-or-create that is safe against two runs creating the same branch at once. */
export async function ensureResource(
  db: Database,
  table: ResourceTable,
  projectId: string,
  nameOrSlug: string,
  extra?: Record<string, unknown>,
) {
  const found = await findResource(db, table, projectId, nameOrSlug);
  if (found) return { row: found, created: false };
  const name = checkName(nameOrSlug, 'name', table === 'benchmark' ? 1024 : 256);
  const slug = checkResourceSlug(table, resourceSlug(table, name));
  const inserted = await db
    .insertInto(table)
    .values({ project_id: projectId, name, slug, ...(extra as object) } as never)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const raced = await findResource(db, table, projectId, nameOrSlug);
  if (!raced) throw badInput(`${table} "${nameOrSlug}" clashes with another one's slug; name it differently`);
  return { row: raced, created: false };
}
