import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BlobCache } from '../../src/runner/image/cache.js';
import { pullImage } from '../../src/runner/image/pull.js';
import { lastTestS3Server } from '../helpers/blob-store.js';
import { clientSuite, sha256, startRegistryFixture } from './fixtures.js';

// Blob downloads on object storage: /v2 answers 307 to a pre-signed URL, and the clients follow it.
const f = await startRegistryFixture('redirect', {}, 's3');
const s3 = lastTestS3Server!;
const direct = await startRegistryFixture('direct', {}, 's3-no-redirect');
const { dir, image, skopeo } = await clientSuite('benchline-redirect-');

beforeAll(async () => {
  for (const fixture of [f, direct]) {
    await skopeo(
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      `x:${fixture.tokens.member}`,
      `oci:${image.dir}:v1`,
      `docker://${fixture.host}/${fixture.projects.priv}/bench:v1`,
    );
  }
});

const blobUrl = (fixture: typeof f, digest: string) =>
  `${fixture.server.url}/v2/${fixture.projects.priv}/bench/blobs/${digest}`;
const auth = (fixture: typeof f) => ({
  authorization: `Basic ${Buffer.from(`x:${fixture.tokens.member}`).toString('base64')}`,
});
const layerKey = (digest: string) => `/blobs/sha256/${digest.slice('sha256:'.length)}`;

describe('blob downloads on object storage', () => {
  it('answer 307 to a short-lived signed URL on the store, which serves the blob and ranges of it', async () => {
    const layer = image.layers[1];
    const response = await fetch(blobUrl(f, layer.digest), { headers: auth(f), redirect: 'manual' });
    expect(response.status).toBe(307);
    const location = response.headers.get('location')!;
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/`)).toBe(true);
    expect(location).toMatch(/X-Amz-Expires=300&/);
    expect(location).toMatch(/X-Amz-Signature=/);
    expect(response.headers.get('docker-content-digest')).toBe(layer.digest);
    // Followed, with the client's Range header travelling along.
    const whole = await fetch(blobUrl(f, layer.digest), { headers: auth(f) });
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(layer.digest);
    const part = await fetch(blobUrl(f, layer.digest), { headers: { ...auth(f), range: 'bytes=0-9' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(layer.blob.subarray(0, 10))).toBe(true);
    // HEAD, access control and unknown blobs stay with the server.
    const head = await fetch(blobUrl(f, layer.digest), { method: 'HEAD', headers: auth(f) });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(layer.blob.length));
    expect((await fetch(blobUrl(f, layer.digest), { redirect: 'manual' })).status).toBe(401);
    const unknown = await fetch(blobUrl(f, sha256('nothing')), { headers: auth(f), redirect: 'manual' });
    expect(unknown.status).toBe(404);
  });

  it('skopeo pulls an image through the redirects: the layers come from the store', async () => {
    const before = s3.requestLog().length;
    const out = join(dir, 'pulled');
    await skopeo(
      'copy',
      '--src-tls-verify=false',
      '--src-creds',
      `x:${f.tokens.member}`,
      `docker://${f.host}/${f.projects.priv}/bench:v1`,
      `oci:${out}:v1`,
    );
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8'));
    expect(index.manifests[0].digest).toBe(image.manifestDigest);
    const log = s3.requestLog().slice(before);
    for (const layer of image.layers) {
      const pulled = await readFile(join(out, 'blobs', 'sha256', layer.digest.slice(7)));
      expect(sha256(pulled)).toBe(layer.digest);
      // A GET of the layer's object, signed: skopeo followed the 307 to the store.
      expect(log).toMatch(new RegExp(`"GET /${s3.bucket}${layerKey(layer.digest)}\\?[^"]*X-Amz-Signature`));
    }
  });

  it("the runner's puller follows the redirects too, and verifies what it got", async () => {
    const before = s3.requestLog().length;
    const cache = new BlobCache({ workDir: join(dir, 'runner-work') });
    const pulled = await pullImage({
      registryUrl: f.server.url,
      repository: `${f.projects.priv}/bench`,
      digest: image.manifestDigest,
      token: f.tokens.member,
      cache,
    });
    expect(pulled.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.digest));
    const log = s3.requestLog().slice(before);
    for (const layer of image.layers) expect(log).toContain(`"GET /${s3.bucket}${layerKey(layer.digest)}?`);
  });

  it('with redirect=false the server streams the bytes itself', async () => {
    const layer = image.layers[1];
    const response = await fetch(blobUrl(direct, layer.digest), {
      headers: auth(direct),
      redirect: 'manual',
    });
    expect(response.status).toBe(200);
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(layer.digest);
    const out = join(dir, 'pulled-direct');
    await skopeo(
      'copy',
      '--src-tls-verify=false',
      '--src-creds',
      `x:${direct.tokens.member}`,
      `docker://${direct.host}/${direct.projects.priv}/bench:v1`,
      `oci:${out}:v1`,
    );
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8'));
    expect(index.manifests[0].digest).toBe(image.manifestDigest);
  });
});
