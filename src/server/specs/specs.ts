import { sql } from 'kysely';
import { checkName, checkSlug, slugify } from '../accounts/slug.js';
import type { Database } from '../db/database.js';
import { badInput, fromDatabaseError, notFound } from '../errors.js';

export interface SpecInput {
  name: string;
  slug?: string | null;
  os?: string | null;
  architecture?: string | null;
  cpu: number;
  memory: number;
  disk: number;
  /** Processes (and threads) a job may have at once. */
  processes?: number | null;
  network?: boolean | null;
  isDefault?: boolean | null;
}

export type SpecPatch = { [K in keyof SpecInput]?: SpecInput[K] | null } & { archived?: boolean | null };

function checkSizes(input: {
  cpu?: number | null;
  memory?: number | null;
  disk?: number | null;
  processes?: number | null;
}) {
  for (const field of ['cpu', 'memory', 'disk', 'processes'] as const) {
    const value = input[field];
    if (value != null && (!Number.isSafeInteger(value) || value <= 0)) {
      throw badInput(`${field} must be a positive whole number`, field);
    }
  }
}

// Taken first thing in any transaction that changes which spec is default: taking it after
// row locks would let two such transactions deadlock.
async function lockDefault(trx: Database) {
  await sql`SELECT pg_advisory_xact_lock(7346002)`.execute(trx);
}

/**
 * Making a spec the default takes the default from any other spec in the same transaction.
 * Concurrent changes serialise on one advisory lock; the partial unique index is the backstop.
 */
async function takeDefault(trx: Database, specId: string, now: Date) {
  await trx
    .updateTable('spec')
    .set({ is_default: null })
    .where('is_default', 'is not', null)
    .where('id', '<>', specId)
    .execute();
  await trx.updateTable('spec').set({ is_default: now }).where('id', '=', specId).execute();
}

export async function createSpec(db: Database, input: SpecInput, now: Date) {
  const name = checkName(input.name);
  const slug = checkSlug(input.slug ?? slugify(name));
  checkSizes(input);
  try {
    return await db.transaction().execute(async (trx) => {
      if (input.isDefault) await lockDefault(trx);
      const spec = await trx
        .insertInto('spec')
        .values({
          name,
          slug,
          os: input.os ?? 'linux',
          architecture: input.architecture ?? 'x86_64',
          cpu: input.cpu,
          memory: input.memory,
          disk: input.disk,
          ...(input.processes != null ? { processes: input.processes } : {}),
          network: input.network ?? false,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (input.isDefault) await takeDefault(trx, spec.id, now);
      return trx.selectFrom('spec').selectAll().where('id', '=', spec.id).executeTakeFirstOrThrow();
    });
  } catch (error) {
    throw fromDatabaseError(error, 'spec');
  }
}

export async function updateSpec(db: Database, slug: string, patch: SpecPatch, now: Date) {
  checkSizes(patch);
  try {
    return await db.transaction().execute(async (trx) => {
      if (patch.isDefault != null || patch.archived) await lockDefault(trx);
      const spec = await trx.selectFrom('spec').selectAll().where('slug', '=', slug).executeTakeFirst();
      if (!spec) throw notFound(`spec "${slug}"`);
      const set: Record<string, unknown> = { updated_at: now };
      if (patch.name != null) set.name = checkName(patch.name);
      if (patch.slug != null) set.slug = checkSlug(patch.slug);
      for (const field of ['os', 'architecture', 'cpu', 'memory', 'disk', 'processes', 'network'] as const) {
        if (patch[field] != null) set[field] = patch[field];
      }
      if (patch.archived != null) set.archived_at = patch.archived ? now : null;
      if (patch.isDefault === false || patch.archived) set.is_default = null;
      await trx.updateTable('spec').set(set).where('id', '=', spec.id).execute();
      if (patch.isDefault && !patch.archived) await takeDefault(trx, spec.id, now);
      return trx.selectFrom('spec').selectAll().where('id', '=', spec.id).executeTakeFirstOrThrow();
    });
  } catch (error) {
    throw fromDatabaseError(error, 'spec');
  }
}
