import type { RegistryContext } from './context.js';
import { registryError } from './errors.js';
import type { ParsedManifest } from './manifest-parse.js';
import { lockDigest, repositoryBlobSize } from './repositories.js';

export interface StoredManifest {
  digest: string;
  mediaType: string;
  content: Buffer;
  subjectDigest: string | null;
}

export async function findManifest(
  ctx: RegistryContext,
  repositoryId: string,
  reference: { tag: string } | { digest: string },
): Promise<StoredManifest | null> {
  let query = ctx.db
    .selectFrom('registry_manifest')
    .select(['registry_manifest.digest', 'media_type', 'content', 'subject_digest'])
    .where('registry_manifest.repository_id', '=', repositoryId);
  if ('tag' in reference) {
    query = query
      .innerJoin('registry_tag', (join) =>
        join
          .onRef('registry_tag.repository_id', '=', 'registry_manifest.repository_id')
          .onRef('registry_tag.manifest_digest', '=', 'registry_manifest.digest'),
      )
      .where('registry_tag.name', '=', reference.tag);
  } else {
    query = query.where('registry_manifest.digest', '=', reference.digest);
  }
  const row = await query.executeTakeFirst();
  return row
    ? {
        digest: row.digest,
        mediaType: row.media_type,
        content: row.content,
        subjectDigest: row.subject_digest,
      }
    : null;
}

/**
 * Stores a manifest once everything it references is in the repository (MANIFEST_BLOB_UNKNOWN
 * otherwise), records those references for garbage collection, and points the tag at it.
 */
export async function saveManifest(
  ctx: RegistryContext,
  repositoryId: string,
  manifest: ParsedManifest,
  content: Buffer,
  tag: string | null,
): Promise<void> {
  const now = ctx.clock.now();
  const blobDigests = [...new Set(manifest.blobs.map((b) => b.digest))].sort();
  await ctx.db.transaction().execute(async (trx) => {
    // Locked in a fixed order, so garbage collection cannot remove a blob between this check and commit.
    for (const digest of blobDigests) await lockDigest(trx, digest);
    for (const blob of manifest.blobs) {
      const size = await repositoryBlobSize(trx, repositoryId, blob.digest);
      if (size === null) {
        throw registryError(
          'MANIFEST_BLOB_UNKNOWN',
          `blob ${blob.digest} is not in this repository: push it first`,
          {
            digest: blob.digest,
          },
        );
      }
      if (size !== blob.size) {
        throw registryError(
          'MANIFEST_INVALID',
          `the descriptor of ${blob.digest} says ${blob.size} bytes; the blob has ${size}`,
          { digest: blob.digest },
        );
      }
    }
    for (const child of manifest.manifests) {
      const row = await trx
        .selectFrom('registry_manifest')
        .select('size')
        .where('repository_id', '=', repositoryId)
        .where('digest', '=', child.digest)
        .executeTakeFirst();
      if (!row) {
        throw registryError(
          'MANIFEST_BLOB_UNKNOWN',
          `manifest ${child.digest} is not in this repository: push it before the index`,
          { digest: child.digest },
        );
      }
    }
    await trx
      .insertInto('registry_manifest')
      .values({
        repository_id: repositoryId,
        digest: manifest.digest,
        media_type: manifest.mediaType,
        artifact_type: manifest.artifactType,
        subject_digest: manifest.subject?.digest ?? null,
        size: content.length,
        content,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['repository_id', 'digest']).doNothing())
      .execute();
    const references = [...new Set([...blobDigests, ...manifest.manifests.map((m) => m.digest)])];
    if (references.length) {
      await trx
        .insertInto('registry_manifest_reference')
        .values(
          references.map((digest) => ({
            repository_id: repositoryId,
            manifest_digest: manifest.digest,
            digest,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    if (blobDigests.length) {
      await trx
        .updateTable('registry_blob')
        .set({ last_accessed_at: now })
        .where('digest', 'in', blobDigests)
        .execute();
    }
    if (tag) {
      await trx
        .insertInto('registry_tag')
        .values({ repository_id: repositoryId, name: tag, manifest_digest: manifest.digest, updated_at: now })
        .onConflict((oc) =>
          oc
            .columns(['repository_id', 'name'])
            .doUpdateSet({ manifest_digest: manifest.digest, updated_at: now }),
        )
        .execute();
    }
  });
}

/** Deletes a manifest by digest (its tags go with it) or just a tag; false when neither exists. */
export async function deleteManifest(
  ctx: RegistryContext,
  repositoryId: string,
  reference: { tag: string } | { digest: string },
): Promise<boolean> {
  const result =
    'tag' in reference
      ? await ctx.db
          .deleteFrom('registry_tag')
          .where('repository_id', '=', repositoryId)
          .where('name', '=', reference.tag)
          .executeTakeFirst()
      : await ctx.db
          .deleteFrom('registry_manifest')
          .where('repository_id', '=', repositoryId)
          .where('digest', '=', reference.digest)
          .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
