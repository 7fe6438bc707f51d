import { sql } from 'kysely';
import type { RegistryContext } from './context.js';
import { lockDigest, tryLockDigest } from './repositories.js';

export interface GcResult {
  uploads: number;
  blobs: number;
  orphanFiles: number;
}

const BATCH = 500;

/**
 * Removes upload sessions idle past their time to live, and blobs no manifest references once
 * their grace period (counted from their last push, mount or HEAD) is over — rows first, then bytes,
 * each under the digest's lock so a concurrent push of the same blob wins.
 */
export async function collectGarbage(ctx: RegistryContext): Promise<GcResult> {
  const now = ctx.clock.now().getTime();
  const uploadCutoff = new Date(now - ctx.limits.uploadTtlSeconds * 1000);
  const blobCutoff = new Date(now - ctx.limits.blobGraceSeconds * 1000);
  const result: GcResult = { uploads: 0, blobs: 0, orphanFiles: 0 };

  const staleUploads = await ctx.db
    .deleteFrom('registry_upload')
    .where('updated_at', '<', uploadCutoff)
    .returning('id')
    .execute();
  for (const { id } of staleUploads) await ctx.store.deleteUpload(id);
  result.uploads += staleUploads.length;
  for await (const upload of ctx.store.listUploads()) {
    if (upload.modifiedAt >= uploadCutoff) continue;
    const row = await ctx.db
      .selectFrom('registry_upload')
      .select('id')
      .where('id', '=', upload.id)
      .executeTakeFirst();
    if (!row) {
      await ctx.store.deleteUpload(upload.id);
      result.uploads++;
    }
  }
  await ctx.store.removeStaleTemp(uploadCutoff);

  for (;;) {
    const candidates = await ctx.db
      .selectFrom('registry_blob')
      .select('digest')
      .where('last_accessed_at', '<', blobCutoff)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('registry_manifest_reference')
              .select(sql`1`.as('one'))
              .whereRef('registry_manifest_reference.digest', '=', 'registry_blob.digest'),
          ),
        ),
      )
      .limit(BATCH)
      .execute();
    let removed = 0;
    for (const { digest } of candidates) {
      const deleted = await ctx.db.transaction().execute(async (trx) => {
        if (!(await tryLockDigest(trx, digest))) return false;
        const row = await trx
          .deleteFrom('registry_blob')
          .where('digest', '=', digest)
          .where('last_accessed_at', '<', blobCutoff)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('registry_manifest_reference')
                  .select(sql`1`.as('one'))
                  .where('registry_manifest_reference.digest', '=', digest),
              ),
            ),
          )
          .returning('digest')
          .executeTakeFirst();
        if (row) await ctx.store.delete(digest);
        return !!row;
      });
      if (deleted) removed++;
    }
    result.blobs += removed;
    if (candidates.length < BATCH || removed === 0) break;
  }

  // Bytes whose row never got written (a crash between publishing and recording) are orphans.
  let batch: string[] = [];
  const sweep = async () => {
    const known = new Set(
      (await ctx.db.selectFrom('registry_blob').select('digest').where('digest', 'in', batch).execute()).map(
        (r) => r.digest,
      ),
    );
    for (const digest of batch.filter((d) => !known.has(d))) {
      await ctx.db.transaction().execute(async (trx) => {
        await lockDigest(trx, digest);
        const row = await trx
          .selectFrom('registry_blob')
          .select('digest')
          .where('digest', '=', digest)
          .executeTakeFirst();
        if (!row) {
          await ctx.store.delete(digest);
          result.orphanFiles++;
        }
      });
    }
    batch = [];
  };
  for await (const file of ctx.store.list()) {
    if (file.modifiedAt >= blobCutoff) continue;
    batch.push(file.digest);
    if (batch.length >= BATCH) await sweep();
  }
  if (batch.length) await sweep();
  return result;
}
