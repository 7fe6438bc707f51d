import { hashSecret, newSecret } from '../accounts/secret.js';
import { checkName, checkSlug, slugify } from '../accounts/slug.js';
import type { Database } from '../db/database.js';
import { fromDatabaseError, notFound } from '../errors.js';
import { forgetRunnerSpecs } from '../queue/runner-specs.js';

async function specIds(db: Database, slugs: string[]): Promise<string[]> {
  if (slugs.length === 0) return [];
  const rows = await db.selectFrom('spec').select(['id', 'slug']).where('slug', 'in', slugs).execute();
  const missing = slugs.filter((s) => !rows.some((r) => r.slug === s));
  if (missing.length)
    throw notFound(`spec ${missing.map((s) => `"${s}"`).join(', ')}`, 'see benchline spec list');
  return rows.map((r) => r.id);
}

/** A runner and its key. The key is returned once; only its hash is kept. */
export async function createRunner(
  db: Database,
  input: { name: string; slug?: string | null; specs: string[] },
) {
  const name = checkName(input.name);
  const slug = checkSlug(input.slug ?? slugify(name));
  const key = newSecret('runner');
  try {
    return await db.transaction().execute(async (trx) => {
      const ids = await specIds(trx, input.specs);
      const runner = await trx
        .insertInto('runner')
        .values({ name, slug, key_hash: hashSecret(key) })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (ids.length) {
        await trx
          .insertInto('runner_spec')
          .values(ids.map((spec_id) => ({ runner_id: runner.id, spec_id })))
          .execute();
      }
      return { runner, key };
    });
  } catch (error) {
    throw fromDatabaseError(error, 'runner');
  }
}

export async function updateRunner(
  db: Database,
  slug: string,
  patch: { name?: string | null; specs?: string[] | null; archived?: boolean | null },
  now: Date,
) {
  const updated = await db.transaction().execute(async (trx) => {
    const runner = await trx.selectFrom('runner').selectAll().where('slug', '=', slug).executeTakeFirst();
    if (!runner) throw notFound(`runner "${slug}"`);
    const set: Record<string, unknown> = { updated_at: now };
    if (patch.name != null) set.name = checkName(patch.name);
    if (patch.archived != null) set.archived_at = patch.archived ? now : null;
    if (patch.specs != null) {
      const ids = await specIds(trx, patch.specs);
      await trx.deleteFrom('runner_spec').where('runner_id', '=', runner.id).execute();
      if (ids.length) {
        await trx
          .insertInto('runner_spec')
          .values(ids.map((spec_id) => ({ runner_id: runner.id, spec_id })))
          .execute();
      }
    }
    return trx
      .updateTable('runner')
      .set(set)
      .where('id', '=', runner.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  // After the commit, so that a claim cannot cache the old specs again in between.
  if (patch.specs != null) forgetRunnerSpecs(updated.id);
  return updated;
}

/** A new key for a runner whose key leaked or was lost; the old one stops working within the key cache TTL (3 s). */
export async function rotateRunnerKey(db: Database, slug: string) {
  const key = newSecret('runner');
  const row = await db
    .updateTable('runner')
    .set({ key_hash: hashSecret(key) })
    .where('slug', '=', slug)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound(`runner "${slug}"`);
  return { runner: row, key };
}
