import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { registryError } from './errors.js';

type Db = Database | Transaction<DB>;

export interface Repository {
  id: string;
  name: string;
  projectId: string;
}

/**
 * Serializes work on one blob digest across every server process: publishing it, referencing it
 * from a manifest, and garbage-collecting it never interleave.
 */
export async function lockDigest(trx: Transaction<DB>, digest: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`registry-blob:${digest}`}, 0))`.execute(trx);
}

export async function tryLockDigest(trx: Transaction<DB>, digest: string): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`
    SELECT pg_try_advisory_xact_lock(hashtextextended(${`registry-blob:${digest}`}, 0)) AS locked`.execute(
    trx,
  );
  return rows[0]?.locked === true;
}

export async function findRepository(db: Db, name: string, projectId: string): Promise<Repository | null> {
  const row = await db
    .selectFrom('registry_repository')
    .select(['id', 'name', 'project_id'])
    .where('name', '=', name)
    .executeTakeFirst();
  // A repository left behind by a project that changed its slug is not the new slug-holder's.
  if (!row || row.project_id !== projectId) return null;
  return { id: row.id, name: row.name, projectId: row.project_id };
}

/** The repository, created on first push. */
export async function ensureRepository(db: Db, name: string, projectId: string): Promise<Repository> {
  await db
    .insertInto('registry_repository')
    .values({ name, project_id: projectId })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const repository = await findRepository(db, name, projectId);
  if (!repository) {
    throw registryError(
      'NAME_INVALID',
      `repository ${name} belongs to a project that was renamed: push under another name`,
      { name },
    );
  }
  return repository;
}

/** The size of a blob visible in the repository, or null. */
export async function repositoryBlobSize(
  db: Db,
  repositoryId: string,
  digest: string,
): Promise<number | null> {
  const row = await db
    .selectFrom('registry_repository_blob')
    .innerJoin('registry_blob', 'registry_blob.digest', 'registry_repository_blob.digest')
    .select('registry_blob.size')
    .where('registry_repository_blob.repository_id', '=', repositoryId)
    .where('registry_repository_blob.digest', '=', digest)
    .executeTakeFirst();
  return row ? Number(row.size) : null;
}

/** Records a stored blob and makes it visible in a repository; call with the digest locked. */
export async function linkBlob(
  db: Db,
  repositoryId: string,
  digest: string,
  size: number,
  now: Date,
): Promise<void> {
  await db
    .insertInto('registry_blob')
    .values({ digest, size, created_at: now, last_accessed_at: now })
    .onConflict((oc) => oc.column('digest').doUpdateSet({ last_accessed_at: now }))
    .execute();
  await db
    .insertInto('registry_repository_blob')
    .values({ repository_id: repositoryId, digest, created_at: now })
    .onConflict((oc) => oc.columns(['repository_id', 'digest']).doNothing())
    .execute();
}

/** Keeps a blob a client has just seen out of garbage collection's way while it pushes a manifest. */
export async function touchBlob(db: Db, digest: string, now: Date): Promise<void> {
  await db.updateTable('registry_blob').set({ last_accessed_at: now }).where('digest', '=', digest).execute();
}

export async function unlinkBlob(db: Db, repositoryId: string, digest: string): Promise<boolean> {
  const result = await db
    .deleteFrom('registry_repository_blob')
    .where('repository_id', '=', repositoryId)
    .where('digest', '=', digest)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
