import { openRepository } from '../access.js';
import { registryError } from '../errors.js';
import { type RegistryRequest, readBody, send } from '../http.js';
import { parseManifest } from '../manifest-parse.js';
import { deleteManifest, findManifest, saveManifest } from '../manifests.js';
import { checkReference } from '../names.js';

/** GET / HEAD /v2/<name>/manifests/<tag|digest>. */
export async function getManifest(r: RegistryRequest, name: string, rawReference: string): Promise<void> {
  const repository = await openRepository(r, name, 'pull');
  const reference = checkReference(rawReference);
  const manifest = await findManifest(r.ctx, repository.id, reference);
  if (!manifest) {
    throw registryError('MANIFEST_UNKNOWN', `manifest ${rawReference} is unknown in ${name}`, {
      reference: rawReference,
    });
  }
  const headers = {
    'content-type': manifest.mediaType,
    'docker-content-digest': manifest.digest,
    etag: `"${manifest.digest}"`,
  };
  if (r.req.method === 'HEAD') {
    return void r.res.writeHead(200, { ...headers, 'content-length': manifest.content.length }).end();
  }
  send(r.res, 200, headers, manifest.content);
}

/** PUT /v2/<name>/manifests/<tag|digest>. */
export async function putManifest(r: RegistryRequest, name: string, rawReference: string): Promise<void> {
  const repository = await openRepository(r, name, 'push', true);
  const reference = checkReference(rawReference);
  const body = await readBody(r.req, r.ctx.limits.maxManifestBytes, 'the manifest');
  const manifest = parseManifest(body, r.req.headers['content-type']);
  if ('digest' in reference && reference.digest !== manifest.digest) {
    throw registryError(
      'DIGEST_INVALID',
      `the manifest hashes to ${manifest.digest}, not ${reference.digest}`,
      { digest: reference.digest },
    );
  }
  await saveManifest(r.ctx, repository.id, manifest, body, 'tag' in reference ? reference.tag : null);
  const headers: Record<string, string> = {
    location: `/v2/${name}/manifests/${manifest.digest}`,
    'docker-content-digest': manifest.digest,
  };
  if (manifest.subject) headers['oci-subject'] = manifest.subject.digest;
  send(r.res, 201, headers);
}

/** DELETE /v2/<name>/manifests/<digest> (the manifest and its tags) or <tag> (just the tag). */
export async function removeManifest(r: RegistryRequest, name: string, rawReference: string): Promise<void> {
  const repository = await openRepository(r, name, 'delete');
  const reference = checkReference(rawReference);
  if (!(await deleteManifest(r.ctx, repository.id, reference))) {
    throw registryError('MANIFEST_UNKNOWN', `manifest ${rawReference} is unknown in ${name}`, {
      reference: rawReference,
    });
  }
  send(r.res, 202);
}
