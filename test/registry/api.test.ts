import { describe, expect, it } from 'vitest';
import { BenchlineError } from '../../src/server/errors.js';
import { sha256, startRegistryFixture } from './fixtures.js';

const f = await startRegistryFixture('api', {
  maxManifestBytes: 64 * 1024,
  blobGraceSeconds: 0,
  uploadTtlSeconds: 0,
});
const { server } = f;
const PUB = f.projects.pub;
const PRIV = f.projects.priv;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

function api(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? f.tokens.member : init.token;
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(`${server.url}${path}`, { ...init, headers });
}

async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { errors?: Array<{ code: string }> };
  return body.errors?.[0]?.code;
}

async function pushBlob(repo: string, data: Buffer | string, token?: string) {
  const res = await api(`/v2/${repo}/blobs/uploads/?digest=${sha256(data)}`, {
    method: 'POST',
    body: typeof data === 'string' ? data : new Uint8Array(data),
    token,
  });
  expect(res.status).toBe(201);
  return sha256(data);
}

function imageManifest(config: Buffer, layers: Buffer[], extra: Record<string, unknown> = {}) {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256(config),
        size: config.length,
      },
      layers: layers.map((l) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: sha256(l),
        size: l.length,
      })),
      ...extra,
    }),
  );
}

async function pushImage(repo: string, tag: string, seed: string) {
  const config = Buffer.from(`{"architecture":"amd64","os":"linux","seed":"${seed}"}`);
  const layer = Buffer.from(`layer ${seed}`);
  await pushBlob(repo, config);
  await pushBlob(repo, layer);
  const manifest = imageManifest(config, [layer]);
  const res = await api(`/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    body: manifest,
    headers: { 'content-type': OCI_MANIFEST },
  });
  expect(res.status).toBe(201);
  return { manifest, digest: sha256(manifest), config, layer };
}

describe('base and auth', () => {
  it('challenges anonymous callers at /v2/ and welcomes signed-in ones', async () => {
    const anonymous = await api('/v2/', { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(
      `Bearer realm="${server.url}/v2/token",service="benchline"`,
    );
    expect(anonymous.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(await errorCode(anonymous)).toBe('UNAUTHORIZED');
    expect((await api('/v2/')).status).toBe(200);
    expect(await errorCode(await api('/v2/', { token: 'blu_not-a-token' }))).toBe('UNAUTHORIZED');
  });

  it('challenges an anonymous push with the repository scope', async () => {
    const res = await api(`/v2/${PUB}/app/blobs/uploads/`, { method: 'POST', token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="${server.url}/v2/token",service="benchline",scope="repository:${PUB}/app:pull,push"`,
    );
  });

  it('issues scoped tokens: Basic auth with an API token, or anonymous', async () => {
    await pushImage(`${PRIV}/app`, 'v1', 'token-test');
    const basic = (secret: string) => `Basic ${Buffer.from(`whoever:${secret}`).toString('base64')}`;
    const scope = `repository:${PRIV}/app:pull,push`;
    const tokenFor = async (authorization?: string) => {
      const res = await fetch(`${server.url}/v2/token?service=benchline&scope=${encodeURIComponent(scope)}`, {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { token: string }).token;
    };
    const claims = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).access;
    expect(claims(await tokenFor(basic(f.tokens.member)))).toEqual([
      { type: 'repository', name: `${PRIV}/app`, actions: ['pull', 'push'] },
    ]);
    expect(claims(await tokenFor(basic(f.tokens.viewer)))).toEqual([
      { type: 'repository', name: `${PRIV}/app`, actions: ['pull'] },
    ]);
    expect(claims(await tokenFor(basic(f.tokens.outsider)))).toEqual([]);
    const anonymous = await tokenFor();
    expect(claims(anonymous)).toEqual([]);
    // The scoped token works as a bearer token; an unscoped one gets an insufficient_scope challenge.
    const viewerToken = await tokenFor(basic(f.tokens.viewer));
    expect((await api(`/v2/${PRIV}/app/manifests/v1`, { token: viewerToken })).status).toBe(200);
    const denied = await api(`/v2/${PRIV}/app/blobs/uploads/`, { method: 'POST', token: viewerToken });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    const bad = await fetch(`${server.url}/v2/token?scope=${encodeURIComponent(scope)}`, {
      headers: { authorization: basic('blu_wrong') },
    });
    expect(bad.status).toBe(401);
    const forged = `${viewerToken.slice(0, -4)}AAAA`;
    expect((await api(`/v2/${PRIV}/app/manifests/v1`, { token: forged })).status).toBe(401);
  });

  it('lets anyone pull a public project and only readers pull a private one', async () => {
    await pushImage(`${PUB}/app`, 'v1', 'public');
    expect((await api(`/v2/${PUB}/app/manifests/v1`, { token: null })).status).toBe(200);
    const anonymous = await api(`/v2/${PRIV}/app/manifests/v1`, { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain(`scope="repository:${PRIV}/app:pull"`);
    expect(await errorCode(await api(`/v2/${PRIV}/app/manifests/v1`, { token: f.tokens.outsider }))).toBe(
      'NAME_UNKNOWN',
    );
    expect((await api(`/v2/${PRIV}/app/manifests/v1`, { token: f.tokens.viewer })).status).toBe(200);
  });

  it('needs the member role to push', async () => {
    const viewer = await api(`/v2/${PUB}/app/blobs/uploads/`, { method: 'POST', token: f.tokens.viewer });
    expect(viewer.status).toBe(403);
    expect(await errorCode(viewer)).toBe('DENIED');
    const outsider = await api(`/v2/${PUB}/app/blobs/uploads/`, { method: 'POST', token: f.tokens.outsider });
    expect(await errorCode(outsider)).toBe('DENIED');
  });

  it('hands runners pull-only job tokens', async () => {
    const token = await f.registry.services?.registry?.issuePullToken(`${PRIV}/app`, 60);
    expect(token).toBeTruthy();
    expect((await api(`/v2/${PRIV}/app/manifests/v1`, { token })).status).toBe(200);
    expect((await api(`/v2/${PRIV}/other/manifests/v1`, { token })).status).toBe(401);
    expect((await api(`/v2/${PRIV}/app/blobs/uploads/`, { method: 'POST', token })).status).toBe(401);
  });
});

describe('names', () => {
  it('rejects malformed names and unknown projects', async () => {
    expect(await errorCode(await api('/v2/Bad_Name/manifests/v1'))).toBe('NAME_INVALID');
    expect(await errorCode(await api(`/v2/${PUB}/a..b/manifests/v1`))).toBe('NAME_INVALID');
    const unknown = await api('/v2/no-such-project/app/blobs/uploads/', {
      method: 'POST',
      token: f.tokens.admin,
    });
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('NAME_UNKNOWN');
    expect(await errorCode(await api(`/v2/${PUB}/never-pushed/tags/list`))).toBe('NAME_UNKNOWN');
  });
});

describe('blobs and uploads', () => {
  const repo = `${PUB}/blobs`;

  it('uploads in chunks, reports progress, and refuses a chunk at the wrong offset with 416', async () => {
    const data = Buffer.from('0123456789abcdefghij'.repeat(100));
    const start = await api(`/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    expect(start.status).toBe(202);
    const location = start.headers.get('location') ?? '';
    expect(location).toMatch(new RegExp(`^/v2/${repo}/blobs/uploads/[0-9a-f-]{36}$`));
    expect(start.headers.get('range')).toBe('0-0');
    const first = await api(location, {
      method: 'PATCH',
      body: data.subarray(0, 1000),
      headers: { 'content-range': '0-999', 'content-type': 'application/octet-stream' },
    });
    expect(first.status).toBe(202);
    expect(first.headers.get('range')).toBe('0-999');
    const wrong = await api(location, {
      method: 'PATCH',
      body: data.subarray(500, 1000),
      headers: { 'content-range': '500-999' },
    });
    expect(wrong.status).toBe(416);
    expect(await errorCode(wrong)).toBe('BLOB_UPLOAD_INVALID');
    expect(wrong.headers.get('range')).toBe('0-999');
    const status = await api(location);
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe('0-999');
    expect(status.headers.get('benchline-upload-offset')).toBe('1000');
    const second = await api(location, {
      method: 'PATCH',
      body: data.subarray(1000, 1500),
      headers: { 'content-range': '1000-1499' },
    });
    expect(second.status).toBe(202);
    const done = await api(`${location}?digest=${sha256(data)}`, {
      method: 'PUT',
      body: data.subarray(1500),
      headers: { 'content-range': `1500-${data.length - 1}` },
    });
    expect(done.status).toBe(201);
    expect(done.headers.get('docker-content-digest')).toBe(sha256(data));
    expect(done.headers.get('location')).toBe(`/v2/${repo}/blobs/${sha256(data)}`);

    const head = await api(`/v2/${repo}/blobs/${sha256(data)}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(data.length));
    const whole = await api(`/v2/${repo}/blobs/${sha256(data)}`);
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(data);
    const part = await api(`/v2/${repo}/blobs/${sha256(data)}`, { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${data.length}`);
    expect(await part.text()).toBe('abcdefghij');
    const beyond = await api(`/v2/${repo}/blobs/${sha256(data)}`, { headers: { range: 'bytes=999999-' } });
    expect(beyond.status).toBe(416);
    // The session is gone once complete.
    expect(await errorCode(await api(location))).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('refuses content that does not match its digest, and stores nothing', async () => {
    const claimed = sha256('something else');
    const res = await api(`/v2/${repo}/blobs/uploads/?digest=${claimed}`, {
      method: 'POST',
      body: 'actual bytes',
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('DIGEST_INVALID');
    expect(await errorCode(await api(`/v2/${repo}/blobs/${claimed}`))).toBe('BLOB_UNKNOWN');
    const session = await api(`/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    const put = await api(`${session.headers.get('location')}?digest=${claimed}`, {
      method: 'PUT',
      body: 'nope',
    });
    expect(await errorCode(put)).toBe('DIGEST_INVALID');
    expect(await errorCode(await api(`/v2/${repo}/blobs/sha256:1234`))).toBe('DIGEST_INVALID');
    expect(await errorCode(await api(`/v2/${repo}/blobs/${sha256('never')}`))).toBe('BLOB_UNKNOWN');
  });

  it('cancels an upload', async () => {
    const session = await api(`/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    const location = session.headers.get('location') ?? '';
    expect((await api(location, { method: 'DELETE' })).status).toBe(204);
    expect(await errorCode(await api(location, { method: 'PATCH', body: 'x' }))).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('mounts a blob from a repository the caller can read', async () => {
    const digest = await pushBlob(`${PUB}/source`, 'mount me');
    const res = await api(`/v2/${PUB}/target/blobs/uploads/?mount=${digest}&from=${PUB}/source`, {
      method: 'POST',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('docker-content-digest')).toBe(digest);
    expect(await (await api(`/v2/${PUB}/target/blobs/${digest}`)).text()).toBe('mount me');
    // From a repository the caller cannot read, a mount becomes an ordinary upload session.
    const secret = await pushBlob(`${PRIV}/source`, 'private bytes', f.tokens.admin);
    const refused = await api(`/v2/${PUB}/target/blobs/uploads/?mount=${secret}&from=${PRIV}/source`, {
      method: 'POST',
      token: f.tokens.outsider,
    });
    expect(refused.status).toBe(403);
    const member = await api(`/v2/${PUB}/target2/blobs/uploads/?mount=${secret}&from=${PRIV}/nothing`, {
      method: 'POST',
    });
    expect(member.status).toBe(202);
  });

  it('deletes a blob from a repository', async () => {
    const digest = await pushBlob(`${PUB}/del`, 'delete me');
    expect((await api(`/v2/${PUB}/del/blobs/${digest}`, { method: 'DELETE' })).status).toBe(202);
    expect(await errorCode(await api(`/v2/${PUB}/del/blobs/${digest}`))).toBe('BLOB_UNKNOWN');
  });
});

describe('manifests', () => {
  const repo = `${PUB}/manifests`;

  it('stores, serves by tag and digest, and deletes', async () => {
    const { manifest, digest } = await pushImage(repo, 'v1', 'm1');
    for (const ref of ['v1', digest]) {
      const res = await api(`/v2/${repo}/manifests/${ref}`, { headers: { accept: OCI_MANIFEST } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(OCI_MANIFEST);
      expect(res.headers.get('docker-content-digest')).toBe(digest);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(manifest);
    }
    const head = await api(`/v2/${repo}/manifests/v1`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(manifest.length));
    expect((await api(`/v2/${repo}/manifests/v1`, { method: 'DELETE' })).status).toBe(202);
    expect(await errorCode(await api(`/v2/${repo}/manifests/v1`))).toBe('MANIFEST_UNKNOWN');
    expect((await api(`/v2/${repo}/manifests/${digest}`)).status).toBe(200);
    expect((await api(`/v2/${repo}/manifests/${digest}`, { method: 'DELETE' })).status).toBe(202);
    expect(await errorCode(await api(`/v2/${repo}/manifests/${digest}`))).toBe('MANIFEST_UNKNOWN');
  });

  it('refuses manifests with missing blobs, a wrong digest, bad JSON, or too many bytes', async () => {
    const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
    await pushBlob(repo, config);
    const missing = imageManifest(config, [Buffer.from('never pushed')]);
    const put = (ref: string, body: Buffer | string, type = OCI_MANIFEST) =>
      api(`/v2/${repo}/manifests/${ref}`, {
        method: 'PUT',
        body: typeof body === 'string' ? body : new Uint8Array(body),
        headers: { 'content-type': type },
      });
    const res = await put('x', missing);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('MANIFEST_BLOB_UNKNOWN');
    const good = imageManifest(config, []);
    expect(await errorCode(await put(sha256('other'), good))).toBe('DIGEST_INVALID');
    expect((await put(sha256(good), good)).status).toBe(201);
    expect(await errorCode(await put('x', '{not json'))).toBe('MANIFEST_INVALID');
    expect(await errorCode(await put('x', '{"schemaVersion":1}'))).toBe('MANIFEST_INVALID');
    const huge = imageManifest(config, [], { annotations: { pad: 'x'.repeat(70 * 1024) } });
    const tooBig = await put('x', huge);
    expect(tooBig.status).toBe(413);
    expect(await errorCode(tooBig)).toBe('SIZE_INVALID');
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [{ mediaType: OCI_MANIFEST, digest: sha256('absent'), size: 5 }],
      }),
    );
    expect(await errorCode(await put('idx', index, 'application/vnd.oci.image.index.v1+json'))).toBe(
      'MANIFEST_BLOB_UNKNOWN',
    );
  });

  it('accepts Docker media types and image indexes over manifests it holds', async () => {
    const config = Buffer.from('{"architecture":"arm64","os":"linux"}');
    const layer = Buffer.from('docker layer');
    await pushBlob(repo, config);
    await pushBlob(repo, layer);
    const docker = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: {
          mediaType: 'application/vnd.docker.container.image.v1+json',
          digest: sha256(config),
          size: config.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
            digest: sha256(layer),
            size: layer.length,
          },
        ],
      }),
    );
    const put = await api(`/v2/${repo}/manifests/docker`, {
      method: 'PUT',
      body: docker,
      headers: { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(put.status).toBe(201);
    const list = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
        manifests: [
          {
            mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
            digest: sha256(docker),
            size: docker.length,
            platform: { architecture: 'arm64', os: 'linux' },
          },
        ],
      }),
    );
    const putList = await api(`/v2/${repo}/manifests/multi`, {
      method: 'PUT',
      body: list,
      headers: { 'content-type': 'application/vnd.docker.distribution.manifest.list.v2+json' },
    });
    expect(putList.status).toBe(201);
    const got = await api(`/v2/${repo}/manifests/multi`);
    expect(got.headers.get('content-type')).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
  });

  it('lists tags in pages with a Link header', async () => {
    const tagsRepo = `${PUB}/tags`;
    const { manifest } = await pushImage(tagsRepo, 'b', 'tags');
    for (const tag of ['a', 'c', 'd']) {
      await api(`/v2/${tagsRepo}/manifests/${tag}`, {
        method: 'PUT',
        body: manifest,
        headers: { 'content-type': OCI_MANIFEST },
      });
    }
    const all = await api(`/v2/${tagsRepo}/tags/list`);
    expect(await all.json()).toEqual({ name: tagsRepo, tags: ['a', 'b', 'c', 'd'] });
    const page = await api(`/v2/${tagsRepo}/tags/list?n=2`);
    expect(await page.json()).toEqual({ name: tagsRepo, tags: ['a', 'b'] });
    const link = page.headers.get('link') ?? '';
    expect(link).toBe(`</v2/${tagsRepo}/tags/list?n=2&last=b>; rel="next"`);
    const next = await api(link.slice(1, link.indexOf('>')));
    expect(await next.json()).toEqual({ name: tagsRepo, tags: ['c', 'd'] });
    expect(next.headers.get('link')).toBeNull();
  });

  it('answers the referrers API from subject fields', async () => {
    const refRepo = `${PUB}/referrers`;
    const { digest: subject } = await pushImage(refRepo, 'v1', 'subject');
    const empty = Buffer.from('{}');
    await pushBlob(refRepo, empty);
    const artifact = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType: 'application/vnd.example.sbom',
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(empty), size: 2 },
        layers: [],
        subject: { mediaType: OCI_MANIFEST, digest: subject, size: 100 },
        annotations: { 'org.example': 'yes' },
      }),
    );
    const put = await api(`/v2/${refRepo}/manifests/${sha256(artifact)}`, {
      method: 'PUT',
      body: artifact,
      headers: { 'content-type': OCI_MANIFEST },
    });
    expect(put.status).toBe(201);
    expect(put.headers.get('oci-subject')).toBe(subject);
    const res = await api(`/v2/${refRepo}/referrers/${subject}`);
    expect(res.headers.get('content-type')).toBe('application/vnd.oci.image.index.v1+json');
    expect(await res.json()).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: sha256(artifact),
          size: artifact.length,
          artifactType: 'application/vnd.example.sbom',
          annotations: { 'org.example': 'yes' },
        },
      ],
    });
    const filtered = await api(`/v2/${refRepo}/referrers/${subject}?artifactType=application/other`);
    expect(filtered.headers.get('oci-filters-applied')).toBe('artifactType');
    expect(((await filtered.json()) as { manifests: unknown[] }).manifests).toEqual([]);
  });
});

describe('resolveImage', () => {
  const resolve = (projectId: string, ref: string) =>
    f.registry.services?.registry?.resolveImage(projectId, ref) ?? Promise.resolve(null);

  it('resolves tags and digests, with or without this host and the project prefix', async () => {
    const { digest } = await pushImage(`${PUB}/bench`, 'v2', 'resolve');
    const expected = { repository: `${PUB}/bench`, digest };
    expect(await resolve(f.projectIds.pub, `${PUB}/bench:v2`)).toEqual(expected);
    expect(await resolve(f.projectIds.pub, `bench:v2`)).toEqual(expected);
    expect(await resolve(f.projectIds.pub, `${f.host}/${PUB}/bench:v2`)).toEqual(expected);
    expect(await resolve(f.projectIds.pub, `${PUB}/bench@${digest}`)).toEqual(expected);
    expect(await resolve(f.projectIds.pub, `${PUB}/bench:nope`)).toBeNull();
    expect(await resolve(f.projectIds.priv, `${PUB}/bench:v2`)).toBeNull();
    await expect(resolve(f.projectIds.pub, 'docker.io/library/ubuntu:22.04')).rejects.toThrow(
      /benchline image push/,
    );
    await expect(resolve(f.projectIds.pub, 'ghcr.io/x/y:1')).rejects.toBeInstanceOf(BenchlineError);
  });
});

describe('garbage collection', () => {
  it('removes stale uploads and blobs no manifest references, and keeps referenced ones', async () => {
    const { layer } = await pushImage(`${PUB}/gc`, 'keep', 'gc-keep');
    const orphan = await pushBlob(`${PUB}/gc`, 'orphan blob');
    await api(`/v2/${PUB}/gc/blobs/uploads/`, { method: 'POST' });
    await new Promise((r) => setTimeout(r, 1100)); // grace and TTL are 0 s at one-second timestamp resolution
    const result = await f.registry.collectGarbage();
    expect(result.blobs).toBeGreaterThanOrEqual(1);
    expect(result.uploads).toBeGreaterThanOrEqual(1);
    expect(await errorCode(await api(`/v2/${PUB}/gc/blobs/${orphan}`))).toBe('BLOB_UNKNOWN');
    expect(await (await api(`/v2/${PUB}/gc/blobs/${sha256(layer)}`)).text()).toBe(layer.toString());
    const uploads: string[] = [];
    for await (const upload of f.store.listUploads()) uploads.push(upload.id);
    expect(uploads).toEqual([]);
  });
});
