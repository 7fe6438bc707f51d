import type { Readable } from 'node:stream';
import { BlobStoreError } from './blob-store.js';
import type { RegistryContext } from './context.js';
import { registryError } from './errors.js';
import { uploadRange } from './http.js';
import { linkBlob, lockDigest, repositoryBlobSize } from './repositories.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface UploadSession {
  id: string;
  repositoryId: string;
  size: number;
}

export async function createUploadSession(
  ctx: RegistryContext,
  repositoryId: string,
): Promise<UploadSession> {
  const now = ctx.clock.now();
  const row = await ctx.db
    .insertInto('registry_upload')
    .values({ repository_id: repositoryId, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.store.createUpload(row.id);
  return { id: row.id, repositoryId, size: 0 };
}

/** The session, which must belong to the repository; BLOB_UPLOAD_UNKNOWN otherwise. */
export async function findUploadSession(
  ctx: RegistryContext,
  repositoryId: string,
  id: string,
): Promise<UploadSession> {
  const row = UUID.test(id)
    ? await ctx.db
        .selectFrom('registry_upload')
        .select(['id', 'repository_id'])
        .where('id', '=', id)
        .where('repository_id', '=', repositoryId)
        .executeTakeFirst()
    : undefined;
  const size = row ? await ctx.store.uploadSize(row.id) : null;
  if (!row || size === null) {
    throw registryError('BLOB_UPLOAD_UNKNOWN', `upload ${id.slice(0, 80)} is unknown: start a new one`, {
      upload: id.slice(0, 80),
    });
  }
  return { id: row.id, repositoryId, size };
}

function fromStoreError(error: unknown, session: UploadSession, location: string): unknown {
  if (!(error instanceof BlobStoreError)) return error;
  if (error.kind === 'OFFSET_MISMATCH') {
    const size = error.size ?? 0;
    return registryError(
      'BLOB_UPLOAD_INVALID',
      `${error.message}: resume from offset ${size}`,
      { offset: size },
      {
        status: 416,
        headers: {
          location,
          range: uploadRange(size),
          'docker-upload-uuid': session.id,
          'benchline-upload-offset': String(size),
        },
      },
    );
  }
  if (error.kind === 'DIGEST_MISMATCH') return registryError('DIGEST_INVALID', error.message);
  if (error.kind === 'UPLOAD_UNKNOWN') return registryError('BLOB_UPLOAD_UNKNOWN', error.message);
  return registryError('BLOB_UPLOAD_INVALID', error.message);
}

/** Appends a chunk at `offset` (null: wherever the upload ends) and returns the new size. */
export async function appendToUpload(
  ctx: RegistryContext,
  session: UploadSession,
  offset: number | null,
  source: Readable,
  location: string,
): Promise<number> {
  try {
    session.size = await ctx.store.appendUpload(session.id, offset, source);
    return session.size;
  } catch (error) {
    throw fromStoreError(error, session, location);
  } finally {
    const size = await ctx.store.uploadSize(session.id).catch(() => null);
    if (size !== null) {
      await ctx.db
        .updateTable('registry_upload')
        .set({ size, updated_at: ctx.clock.now() })
        .where('id', '=', session.id)
        .execute();
    }
  }
}

/** Verifies the upload against `digest`, publishes it and links it into the repository. */
export async function completeUpload(
  ctx: RegistryContext,
  session: UploadSession,
  digest: string,
  location: string,
): Promise<number> {
  const size = await ctx.db.transaction().execute(async (trx) => {
    await lockDigest(trx, digest);
    let size: number;
    try {
      size = await ctx.store.commitUpload(session.id, digest);
    } catch (error) {
      throw fromStoreError(error, session, location);
    }
    await linkBlob(trx, session.repositoryId, digest, size, ctx.clock.now());
    await trx.deleteFrom('registry_upload').where('id', '=', session.id).execute();
    return size;
  });
  return size;
}

export async function cancelUpload(ctx: RegistryContext, session: UploadSession): Promise<void> {
  await ctx.db.deleteFrom('registry_upload').where('id', '=', session.id).execute();
  await ctx.store.deleteUpload(session.id);
}

/** Links a blob from another repository without moving bytes; false when `from` does not hold it. */
export async function mountBlob(
  ctx: RegistryContext,
  targetRepositoryId: string,
  fromRepositoryId: string,
  digest: string,
): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    await lockDigest(trx, digest);
    const size = await repositoryBlobSize(trx, fromRepositoryId, digest);
    if (size === null || (await ctx.store.stat(digest)) === null) return false;
    await linkBlob(trx, targetRepositoryId, digest, size, ctx.clock.now());
    return true;
  });
}
