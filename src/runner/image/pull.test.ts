import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/helpers/free-port.js';
import {
  type BuiltImage,
  buildLayer,
  buildOciImage,
  busyboxEntries,
  sha256,
} from '../../../test/helpers/oci-image.js';
import { BlobCache } from './cache.js';
import { ImageError } from './errors.js';
import { parseBearerChallenge, pullImage } from './pull.js';
import { parseImageReference } from './reference.js';
import { unpackImage } from './unpack.js';

const run = promisify(execFile);

let dir: string;
let registry: ChildProcess;
let registryUrl: string;
let image: BuiltImage;
let pushedDigest: string;

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`registry at ${url} did not come up`);
}

async function push(layout: string, tag: string, repo: string): Promise<string> {
  const digestFile = join(dir, `digest-${repo.replace(/\//g, '_')}-${tag}`);
  const host = registryUrl.replace(/^http:\/\//, '');
  await run('skopeo', [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    '--digestfile',
    digestFile,
    `oci:${layout}:${tag}`,
    `docker://${host}/${repo}:${tag}`,
  ]);
  return (await readFile(digestFile, 'utf8')).trim();
}

function countingFetch() {
  const calls: string[] = [];
  const f: typeof fetch = (input, init) => {
    calls.push(String(input instanceof Request ? input.url : input));
    return fetch(input, init);
  };
  return { calls, fetch: f };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'benchline-pull-'));
  const port = await freePort();
  registryUrl = `http://127.0.0.1:${port}`;
  const config = join(dir, 'registry.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'registry-data')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  registry = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: 'ignore' });
  await waitFor(`${registryUrl}/v2/`);

  image = await buildOciImage({
    dir: join(dir, 'layout'),
    tag: 'v1',
    layers: [
      buildLayer(busyboxEntries(), 'gzip'),
      buildLayer([{ type: 'file', path: 'bench/data.txt', content: 'payload\n' }], 'zstd'),
    ],
    config: { Entrypoint: ['/bin/sh', '-c'], Cmd: ['echo hi'], Env: ['PATH=/bin'], WorkingDir: '/bench' },
  });
  pushedDigest = await push(image.dir, 'v1', 'bench/busybox');
}, 60_000);

afterAll(async () => {
  registry?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('parseImageReference', () => {
  it('splits registry, repository and digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageReference(`127.0.0.1:5000/bench/foo@${digest}`)).toEqual({
      registryUrl: 'http://127.0.0.1:5000',
      repository: 'bench/foo',
      digest,
    });
    expect(parseImageReference(`registry.example.com/foo:tag@${digest}`)).toEqual({
      registryUrl: 'https://registry.example.com',
      repository: 'foo',
      digest,
    });
    expect(parseImageReference(`http://bench.lan:8080/a/b/c@${digest}`).registryUrl).toBe(
      'http://bench.lan:8080',
    );
    expect(() => parseImageReference('host/foo:latest')).toThrow(ImageError);
    expect(() => parseImageReference('host/foo@sha256:abc')).toThrow(ImageError);
    expect(() => parseImageReference(`host/../x@${digest}`)).toThrow(ImageError);
  });

  it('parses bearer challenges', () => {
    expect(
      parseBearerChallenge(
        'Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"',
      ),
    ).toEqual({ realm: 'https://auth.example/token', service: 'registry', scope: 'repository:a:pull' });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
  });
});

describe('pullImage from docker-registry', () => {
  it('pulls a busybox image pushed by skopeo, then a repeat pull downloads nothing', async () => {
    const cache = new BlobCache({ workDir: join(dir, 'work-a') });
    const counter = countingFetch();
    const progress: string[] = [];
    const pulled = await pullImage({
      registryUrl,
      repository: 'bench/busybox',
      digest: pushedDigest,
      cache,
      fetch: counter.fetch,
      onProgress: (e) => progress.push(`${e.kind}:${e.cached}`),
    });
    expect(pulled.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.digest));
    expect(pulled.config.config?.Entrypoint).toEqual(['/bin/sh', '-c']);
    expect(pulled.config.config?.WorkingDir).toBe('/bench');
    expect(readFileSync(pulled.layers[0].path).equals(image.layers[0].blob)).toBe(true);
    // manifest + config + 2 layers
    expect(counter.calls).toHaveLength(4);
    expect(progress).toEqual(['manifest:false', 'blob:false', 'blob:false', 'blob:false']);

    const rootfs = join(dir, 'rootfs-a');
    await unpackImage(pulled.layers, rootfs);
    expect(readFileSync(join(rootfs, 'bench/data.txt'), 'utf8')).toBe('payload\n');
    expect(readFileSync(join(rootfs, 'bin/busybox')).equals(readFileSync('/usr/bin/busybox'))).toBe(true);

    const again = countingFetch();
    const second = await pullImage({
      registryUrl,
      repository: 'bench/busybox',
      digest: pushedDigest,
      cache: new BlobCache({ workDir: join(dir, 'work-a') }),
      fetch: again.fetch,
    });
    expect(again.calls).toEqual([]);
    expect(second.layers.map((l) => l.path)).toEqual(pulled.layers.map((l) => l.path));
  });

  it('picks the host platform from an image index', async () => {
    // Push the single-arch manifest under a second repo, then an index pointing at it.
    await push(image.dir, 'v1', 'bench/multi');
    const other = await buildOciImage({
      dir: join(dir, 'layout-s390x'),
      tag: 'v1',
      architecture: 's390x',
      layers: [buildLayer([{ type: 'file', path: 'other', content: 's390x' }])],
    });
    await push(other.dir, 'v1', 'bench/multi');
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: other.manifestDigest,
            size: other.manifest.length,
            platform: { os: 'linux', architecture: 's390x' },
          },
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: image.manifestDigest,
            size: image.manifest.length,
            platform: { os: 'linux', architecture: 'amd64' },
          },
        ],
      }),
    );
    const put = await fetch(`${registryUrl}/v2/bench/multi/manifests/multi`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
      body: index,
    });
    expect(put.status).toBe(201);
    const cache = new BlobCache({ workDir: join(dir, 'work-index') });
    const pulled = await pullImage({
      registryUrl,
      repository: 'bench/multi',
      digest: sha256(index),
      cache,
      platform: { os: 'linux', architecture: 'amd64' },
    });
    expect(pulled.manifestDigest).toBe(image.manifestDigest);
    expect(pulled.layers).toHaveLength(2);
    const s390x = await pullImage({
      registryUrl,
      repository: 'bench/multi',
      digest: sha256(index),
      cache,
      platform: { os: 'linux', architecture: 's390x' },
    });
    expect(s390x.manifestDigest).toBe(other.manifestDigest);
  });

  it('fails with IMAGE_ERROR for an unknown digest', async () => {
    const cache = new BlobCache({ workDir: join(dir, 'work-missing') });
    const error = await pullImage({
      registryUrl,
      repository: 'bench/busybox',
      digest: `sha256:${'1'.repeat(64)}`,
      cache,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect((error as ImageError).code).toBe('IMAGE_ERROR');
  });
});

describe('pullImage against a corrupting server', () => {
  let server: Server;
  let url: string;
  const requests: { path: string; auth?: string }[] = [];

  beforeAll(async () => {
    const good = buildLayer([{ type: 'file', path: 'f', content: 'good' }]);
    const config = Buffer.from(
      JSON.stringify({ config: {}, rootfs: { type: 'layers', diff_ids: [good.diffId] } }),
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: sha256(config),
          size: config.length,
        },
        layers: [{ mediaType: good.mediaType, digest: good.digest, size: good.blob.length }],
      }),
    );
    const corrupted = Buffer.from(good.blob);
    corrupted[corrupted.length - 5] ^= 0xff;
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = createServer((req, res) => {
      requests.push({ path: req.url ?? '', auth: req.headers.authorization });
      if (req.url?.startsWith('/token')) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ token: 'anon-token' }));
        return;
      }
      if (req.headers.authorization !== 'Bearer anon-token' && req.headers.authorization !== 'Bearer given') {
        res.statusCode = 401;
        res.setHeader(
          'www-authenticate',
          `Bearer realm="${url}/token",service="fake",scope="repository:x:pull"`,
        );
        res.end();
        return;
      }
      if (req.url === `/v2/x/manifests/${sha256(manifest)}`) {
        res.setHeader('content-type', 'application/vnd.oci.image.manifest.v1+json');
        res.end(manifest);
      } else if (req.url === `/v2/x/blobs/${sha256(config)}`) {
        res.end(config);
      } else if (req.url === `/v2/x/blobs/${good.digest}`) {
        res.end(corrupted);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    (globalThis as Record<string, unknown>).__manifestDigest = sha256(manifest);
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a blob whose digest does not match and keeps nothing of it', async () => {
    const workDir = join(dir, 'work-corrupt');
    const cache = new BlobCache({ workDir });
    const error = await pullImage({
      registryUrl: url,
      repository: 'x',
      digest: (globalThis as Record<string, unknown>).__manifestDigest as string,
      cache,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect((error as ImageError).reason).toBe('DIGEST_MISMATCH');
    // The anonymous token flow ran: a 401, a token fetch, then authorised requests.
    expect(requests[0].auth).toBeUndefined();
    expect(requests[1].path).toMatch(/^\/token\?service=fake&scope=repository%3Ax%3Apull/);
    expect(requests.slice(2).every((r) => r.auth === 'Bearer anon-token')).toBe(true);
    // Manifest and config were good and are cached; the corrupted layer left no file, not even a temp.
    expect((await readdir(join(workDir, 'blobs', 'sha256'))).length).toBe(2);
    expect(await readdir(join(workDir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('sends a given token and does not fetch another', async () => {
    requests.length = 0;
    const cache = new BlobCache({ workDir: join(dir, 'work-token') });
    await pullImage({
      registryUrl: url,
      repository: 'x',
      digest: (globalThis as Record<string, unknown>).__manifestDigest as string,
      token: 'given',
      cache,
    }).catch(() => {});
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.auth === 'Bearer given')).toBe(true);
  });
});

describe('BlobCache', () => {
  it('evicts least recently used blobs beyond its bound, sparing the ones in use', async () => {
    const cache = new BlobCache({ workDir: join(dir, 'work-lru'), maxBytes: 250 });
    const blobs = ['a', 'b', 'c', 'd'].map((c) => Buffer.alloc(100, c));
    for (const blob of blobs.slice(0, 2)) await cache.putBuffer(sha256(blob), blob);
    expect(await cache.has(sha256(blobs[0]))).toBe(true); // a is now more recent than b
    await cache.putBuffer(sha256(blobs[2]), blobs[2]);
    expect(await cache.evict([sha256(blobs[2])])).toEqual([sha256(blobs[1])]);
    await cache.putBuffer(sha256(blobs[3]), blobs[3]);
    expect(await cache.evict([sha256(blobs[3]), sha256(blobs[0])])).toEqual([sha256(blobs[2])]);
    expect(cache.totalBytes).toBe(200);
    const reopened = new BlobCache({ workDir: join(dir, 'work-lru'), maxBytes: 250 });
    await reopened.init();
    expect(reopened.size).toBe(2);
  });

  it('refuses a buffer that does not match its digest', async () => {
    const cache = new BlobCache({ workDir: join(dir, 'work-bad') });
    await expect(cache.putBuffer(sha256('x'), Buffer.from('y'))).rejects.toThrow(ImageError);
    expect(await cache.has(sha256('x'))).toBe(false);
  });
});
