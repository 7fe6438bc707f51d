import { openRepository } from '../access.js';
import { type RegistryRequest, sendJson } from '../http.js';
import { MEDIA_TYPES } from '../manifest-parse.js';
import { checkDigest } from '../names.js';

/** GET /v2/<name>/referrers/<digest>[?artifactType=]: an index of the manifests whose subject is <digest>. */
export async function listReferrers(r: RegistryRequest, name: string, rawDigest: string): Promise<void> {
  const repository = await openRepository(r, name, 'pull');
  const digest = checkDigest(rawDigest);
  const artifactType = r.url.searchParams.get('artifactType');
  let query = r.ctx.db
    .selectFrom('registry_manifest')
    .select(['digest', 'media_type', 'artifact_type', 'size', 'content'])
    .where('repository_id', '=', repository.id)
    .where('subject_digest', '=', digest)
    .orderBy('created_at')
    .orderBy('digest');
  if (artifactType) query = query.where('artifact_type', '=', artifactType);
  const rows = await query.execute();
  const manifests = rows.map((row) => {
    let annotations: Record<string, string> | undefined;
    try {
      annotations = JSON.parse(row.content.toString('utf8')).annotations ?? undefined;
    } catch {
      annotations = undefined;
    }
    return {
      mediaType: row.media_type,
      digest: row.digest,
      size: row.size,
      ...(row.artifact_type ? { artifactType: row.artifact_type } : {}),
      ...(annotations ? { annotations } : {}),
    };
  });
  const headers: Record<string, string> = { 'content-type': MEDIA_TYPES.ociIndex };
  if (artifactType) headers['oci-filters-applied'] = 'artifactType';
  sendJson(r.res, 200, { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests }, headers);
}
