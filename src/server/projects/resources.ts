import { checkName, slugify } from '../accounts/slug.js';
import type { Database } from '../db/database.js';
import { BenchlineError, badInput, fromDatabaseError, notFound } from '../errors.js';
import { SLUG_ATTEMPTS, suffixedSlug } from './free-slug.js';

/** The things that live inside a project and share one shape: a name and a slug unique in the project. */
export type ResourceTable = 'branch' | 'testbed' | 'measure' | 'benchmark';

const RESOURCE_SLUG = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** The longest slug a table's CHECK constraint takes. */
export function maxSlugLength(table: ResourceTable): number {
  return table === 'benchmark' ? 1100 : 128;
}

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
  if (input.slug != null) {
    // An explicit slug is the caller's choice: taken means a conflict, never another slug.
    const slug = checkResourceSlug(table, input.slug);
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
  const row = await insertWithFreeSlug(db, table, projectId, name, input.extra);
  if (!row) throw slugsExhausted(table, name);
  return row;
}

/**
 * Inserts a new name under its derived slug or, when another name has that slug, under a suffixed
 * one. A taken name is still an error (unique violation → CONFLICT). Undefined when every slug was taken.
 */
async function insertWithFreeSlug(
  db: Database,
  table: ResourceTable,
  projectId: string,
  name: string,
  extra: Record<string, unknown> | undefined,
) {
  const base = checkResourceSlug(table, resourceSlug(table, name));
  for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
    const slug = attempt === 0 ? base : suffixedSlug(base, maxSlugLength(table));
    try {
      const row = await db
        .insertInto(table)
        .values({ project_id: projectId, name, slug, ...(extra as object) } as never)
        .onConflict((oc) => oc.columns(['project_id', 'slug'] as never).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row) return row;
    } catch (error) {
      throw fromDatabaseError(error, table);
    }
  }
  return undefined;
}

function slugsExhausted(table: ResourceTable, name: string) {
  return new BenchlineError(
    'CONFLICT',
    `could not pick a free slug for ${table} "${name.slice(0, 80)}"; try again`,
  );
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

/**
 * Find-or-create that is safe against two runs creating the same branch at once. A new name whose
 * slug another name already has gets a suffixed slug: a name is never merged into another one.
 */
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
  // A savepoint would be needed to go on after a unique violation inside a transaction, so the
  // name is taken only through the slug conflict, and a concurrent insert of the same name is
  // found by the read after it.
  for (let attempt = 0; attempt < 2; attempt++) {
    const inserted = await insertWithFreeSlugOrRace(db, table, projectId, name, extra);
    if (inserted) return { row: inserted, created: true };
    const raced = await findResource(db, table, projectId, nameOrSlug);
    if (raced) return { row: raced, created: false };
  }
  throw slugsExhausted(table, name);
}

/** insertWithFreeSlug where the name itself may have been inserted meanwhile: ON CONFLICT on both keys. */
async function insertWithFreeSlugOrRace(
  db: Database,
  table: ResourceTable,
  projectId: string,
  name: string,
  extra: Record<string, unknown> | undefined,
) {
  const base = checkResourceSlug(table, resourceSlug(table, name));
  for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
    const slug = attempt === 0 ? base : suffixedSlug(base, maxSlugLength(table));
    const row = await db
      .insertInto(table)
      .values({ project_id: projectId, name, slug, ...(extra as object) } as never)
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) return row;
    // Conflict on the name (a concurrent insert): found by the caller's read; on the slug: suffix.
    // `extra` may set the stored name (a built-in measure's display name).
    const stored = typeof extra?.name === 'string' ? extra.name : name;
    const named = await db
      .selectFrom(table)
      .select('id')
      .where('project_id', '=', projectId)
      .where('name', '=', stored)
      .executeTakeFirst();
    if (named) return undefined;
  }
  return undefined;
}
