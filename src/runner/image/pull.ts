import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { BlobCache } from './cache.js';
import { ImageError } from './errors.js';
import { assertDigest, verifyBuffer } from './verify.js';

export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const ACCEPT = [
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.dockerList,
].join(', ');

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture?: string; os?: string; variant?: string };
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

/** The parts of an OCI image config the runner uses. */
export interface OciImageConfig {
  architecture?: string;
  os?: string;
  config?: {
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Env?: string[] | null;
    WorkingDir?: string;
    User?: string;
  };
  rootfs?: { type: string; diff_ids: string[] };
}

export interface PulledLayer {
  digest: string;
  mediaType: string;
  path: string;
}

export interface PulledImage {
  manifest: ImageManifest;
  manifestDigest: string;
  config: OciImageConfig;
  layers: PulledLayer[];
}

export type PullProgress =
  | { kind: 'manifest'; digest: string; cached: boolean }
  | { kind: 'blob'; digest: string; cached: boolean; size: number };

export interface PullOptions {
  /** Scheme and authority, e.g. `http://127.0.0.1:5000`. */
  registryUrl: string;
  repository: string;
  digest: string;
  token?: string;
  cache: BlobCache;
  onProgress?: (event: PullProgress) => void;
  /** Overrides the platform chosen from an index; defaults to the host's, then linux/amd64. */
  platform?: { os: string; architecture: string };
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

const GO_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  s390x: 's390x',
};

export function hostPlatform(): { os: string; architecture: string } {
  return { os: 'linux', architecture: GO_ARCH[process.arch] ?? process.arch };
}

/** Parses `Bearer realm="…",service="…",scope="…"`. */
export function parseBearerChallenge(header: string): Record<string, string> | undefined {
  const match = /^\s*Bearer\s+(.*)$/i.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const pattern = /([a-zA-Z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = pattern.exec(match[1]); m; m = pattern.exec(match[1])) {
    params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  }
  return params.realm ? params : undefined;
}

class RegistryClient {
  #token: string | undefined;
  readonly #tokenGiven: boolean;
  readonly #fetch: typeof fetch;

  constructor(
    readonly options: PullOptions,
    fetchImpl: typeof fetch,
  ) {
    this.#token = options.token;
    this.#tokenGiven = options.token !== undefined;
    this.#fetch = fetchImpl;
  }

  async get(path: string, accept?: string): Promise<Response> {
    const url = `${this.options.registryUrl.replace(/\/+$/, '')}/v2/${this.options.repository}/${path}`;
    let response = await this.#send(url, accept);
    if (response.status === 401 && !this.#tokenGiven) {
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate') ?? '');
      await response.body?.cancel();
      if (!challenge) throw new ImageError('AUTH', `registry refused ${url} without a bearer challenge`);
      this.#token = await this.#anonymousToken(challenge);
      response = await this.#send(url, accept);
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new ImageError('AUTH', `registry refused ${url}: HTTP ${response.status}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ImageError('REGISTRY', `GET ${url}: HTTP ${response.status}`);
    }
    return response;
  }

  #send(url: string, accept?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (accept) headers.accept = accept;
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    return this.#fetch(url, { headers, redirect: 'follow', signal: this.options.signal }).catch((error) => {
      throw new ImageError('REGISTRY', `GET ${url}: ${(error as Error).message}`, { cause: error });
    });
  }

  async #anonymousToken(challenge: Record<string, string>): Promise<string> {
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    const scope = challenge.scope ?? `repository:${this.options.repository}:pull`;
    url.searchParams.set('scope', scope);
    const response = await this.#fetch(url, { signal: this.options.signal }).catch((error) => {
      throw new ImageError('AUTH', `token request to ${url.origin}: ${(error as Error).message}`);
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new ImageError('AUTH', `token request to ${url.origin}: HTTP ${response.status}`);
    }
    const body = (await response.json().catch(() => ({}))) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new ImageError('AUTH', `token response from ${url.origin} carries no token`);
    return token;
  }
}

async function readLimited(response: Response, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  if (!response.body) return Buffer.alloc(0);
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > limit) {
      await response.body.cancel().catch(() => {});
      throw new ImageError('BAD_MANIFEST', `manifest larger than ${limit} bytes`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function parseJson<T>(data: Buffer, what: string): T {
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch (error) {
    throw new ImageError('BAD_MANIFEST', `${what} is not JSON`, { cause: error });
  }
}

function checkDescriptor(value: unknown, what: string): Descriptor {
  const d = value as Descriptor;
  if (!d || typeof d.digest !== 'string' || typeof d.size !== 'number' || !(d.size >= 0)) {
    throw new ImageError('BAD_MANIFEST', `${what}: malformed descriptor`);
  }
  assertDigest(d.digest);
  return d;
}

/** Manifests are addressed by digest too, so they share the blob cache and a repeat pull costs nothing. */
async function fetchManifest(client: RegistryClient, cache: BlobCache, digest: string, options: PullOptions) {
  if (await cache.has(digest)) {
    options.onProgress?.({ kind: 'manifest', digest, cached: true });
    return readFile(cache.path(digest));
  }
  const response = await client.get(`manifests/${digest}`, ACCEPT);
  const data = await readLimited(response, MAX_MANIFEST_BYTES);
  verifyBuffer(data, digest);
  await cache.putBuffer(digest, data);
  options.onProgress?.({ kind: 'manifest', digest, cached: false });
  return data;
}

function pickPlatform(index: { manifests?: unknown[] }, wanted: { os: string; architecture: string }) {
  const manifests = (index.manifests ?? []).map((m, i) => checkDescriptor(m, `index entry ${i}`));
  const matches = (p: { os: string; architecture: string }) =>
    manifests.find((m) => m.platform?.os === p.os && m.platform?.architecture === p.architecture);
  const chosen = matches(wanted) ?? matches({ os: 'linux', architecture: 'amd64' });
  if (!chosen) {
    throw new ImageError(
      'NO_PLATFORM',
      `image index has no ${wanted.os}/${wanted.architecture} or linux/amd64`,
    );
  }
  return chosen;
}

async function fetchBlob(
  client: RegistryClient,
  descriptor: Descriptor,
  options: PullOptions,
): Promise<string> {
  const { cache } = options;
  if (await cache.has(descriptor.digest)) {
    options.onProgress?.({ kind: 'blob', digest: descriptor.digest, cached: true, size: descriptor.size });
    return cache.path(descriptor.digest);
  }
  const response = await client.get(`blobs/${descriptor.digest}`);
  if (!response.body) throw new ImageError('REGISTRY', `empty body for blob ${descriptor.digest}`);
  const source = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  const path = await cache.putStream(descriptor.digest, descriptor.size, source);
  options.onProgress?.({ kind: 'blob', digest: descriptor.digest, cached: false, size: descriptor.size });
  return path;
}

const LAYER_TYPES = /^application\/vnd\.(oci\.image\.layer\.v1\.tar|docker\.image\.rootfs\.diff\.tar\.gzip)/;

/** Pulls an image by digest through the OCI distribution API into the blob cache. */
export async function pullImage(options: PullOptions): Promise<PulledImage> {
  assertDigest(options.digest);
  const client = new RegistryClient(options, options.fetch ?? globalThis.fetch);
  const { cache } = options;
  await cache.init();

  let manifestDigest = options.digest;
  let raw = parseJson<Record<string, unknown>>(
    await fetchManifest(client, cache, manifestDigest, options),
    'manifest',
  );
  const isIndex = (m: Record<string, unknown>) =>
    m.mediaType === MEDIA_TYPES.ociIndex ||
    m.mediaType === MEDIA_TYPES.dockerList ||
    (Array.isArray(m.manifests) && !m.config);
  if (isIndex(raw)) {
    manifestDigest = pickPlatform(raw, options.platform ?? hostPlatform()).digest;
    raw = parseJson(await fetchManifest(client, cache, manifestDigest, options), 'manifest');
    if (isIndex(raw)) throw new ImageError('BAD_MANIFEST', 'nested image index');
  }
  if (raw.schemaVersion !== 2 || !Array.isArray(raw.layers)) {
    throw new ImageError('BAD_MANIFEST', `unsupported manifest (schemaVersion ${String(raw.schemaVersion)})`);
  }
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: typeof raw.mediaType === 'string' ? raw.mediaType : undefined,
    config: checkDescriptor(raw.config, 'config'),
    layers: raw.layers.map((l, i) => checkDescriptor(l, `layer ${i}`)),
  };
  for (const layer of manifest.layers) {
    if (!LAYER_TYPES.test(layer.mediaType)) {
      throw new ImageError(
        'UNSUPPORTED_MEDIA_TYPE',
        `layer ${layer.digest} has media type ${layer.mediaType}`,
      );
    }
  }

  const configPath = await fetchBlob(client, manifest.config, options);
  const config = parseJson<OciImageConfig>(await readFile(configPath), 'image config');
  const layers: PulledLayer[] = [];
  for (const layer of manifest.layers) {
    layers.push({
      digest: layer.digest,
      mediaType: layer.mediaType,
      path: await fetchBlob(client, layer, options),
    });
  }
  await cache.evict([options.digest, manifestDigest, manifest.config.digest, ...layers.map((l) => l.digest)]);
  return { manifest, manifestDigest, config, layers };
}
