import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CliError } from '../errors.js';
import { indexTar, type TarEntry } from './tar-index.js';

export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const INDEXES = new Set<string>([MEDIA.ociIndex, MEDIA.dockerList]);

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string };
}

export interface ManifestBlob {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

/** An image ready to push: blobs, then child manifests, then the root manifest under the tag. */
export interface ImageSource {
  blobs: Array<{ digest: string; size: number }>;
  /** Manifests an index points at, pushed by digest before the root. */
  children: ManifestBlob[];
  root: ManifestBlob;
  /** Streams a blob from byte `start` to `end` (inclusive). */
  open(digest: string, start?: number, end?: number): Readable;
  close(): Promise<void>;
}

export const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function hashFile(path: string, start = 0, end?: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { start, end, highWaterMark: 1 << 20 }))
    hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}

/** Random access to files of a layout, either a directory or an uncompressed tar. */
interface FileAccess {
  has(path: string): boolean | Promise<boolean>;
  read(path: string): Promise<Buffer>;
  size(path: string): Promise<number>;
  stream(path: string, start?: number, end?: number): Readable;
  hash(path: string): Promise<string>;
}

function directoryAccess(root: string): FileAccess {
  return {
    has: (path) =>
      stat(join(root, path)).then(
        () => true,
        () => false,
      ),
    read: (path) => readFile(join(root, path)),
    size: async (path) => (await stat(join(root, path))).size,
    stream: (path, start, end) => createReadStream(join(root, path), { start, end, highWaterMark: 1 << 20 }),
    hash: (path) => hashFile(join(root, path)),
  };
}

function tarAccess(file: string, entries: Map<string, TarEntry>): FileAccess {
  const entry = (path: string) => {
    const found = entries.get(path.replace(/^\.\//, ''));
    if (!found)
      throw new CliError(`${file} has no ${path}`, 'is it an OCI archive or a `docker save` tarball?');
    return found;
  };
  return {
    has: (path) => entries.has(path),
    async read(path) {
      const e = entry(path);
      const handle = await open(file, 'r');
      try {
        const buffer = Buffer.alloc(e.size);
        await handle.read(buffer, 0, e.size, e.offset);
        return buffer;
      } finally {
        await handle.close();
      }
    },
    size: async (path) => entry(path).size,
    stream(path, start = 0, end) {
      const e = entry(path);
      if (e.size === 0) return createReadStream(file, { start: 0, end: -1 });
      return createReadStream(file, {
        start: e.offset + start,
        end: e.offset + Math.min(end ?? e.size - 1, e.size - 1),
        highWaterMark: 1 << 20,
      });
    },
    hash: (path) => {
      const e = entry(path);
      return e.size === 0 ? Promise.resolve(sha256('')) : hashFile(file, e.offset, e.offset + e.size - 1);
    },
  };
}

const blobPath = (digest: string) => `blobs/${digest.replace(':', '/')}`;

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new CliError(`${what} is not valid JSON`, 'the image source looks damaged; export it again');
  }
}

/** Reads an OCI image layout (directory or archive): picks the image by ref name when it holds several. */
async function ociLayout(
  files: FileAccess,
  where: string,
  ref: string | undefined,
): Promise<Omit<ImageSource, 'close'>> {
  const index = parseJson<{ manifests?: Descriptor[] }>(
    await files.read('index.json'),
    `${where}/index.json`,
  );
  const manifests = index.manifests ?? [];
  const refName = (d: Descriptor) => d.annotations?.['org.opencontainers.image.ref.name'];
  let chosen: Descriptor | undefined;
  if (ref) chosen = manifests.find((d) => refName(d) === ref || refName(d)?.endsWith(`:${ref}`));
  else if (manifests.length === 1) chosen = manifests[0];
  if (!chosen) {
    const names = manifests.map((d) => refName(d) ?? d.digest).join(', ');
    throw new CliError(
      ref ? `${where} has no image named ${ref}` : `${where} holds ${manifests.length} images (${names})`,
      'pick one with --ref <name> (its org.opencontainers.image.ref.name)',
    );
  }
  const readManifest = async (d: Descriptor): Promise<ManifestBlob> => {
    const bytes = await files.read(blobPath(d.digest)).catch(() => {
      throw new CliError(`${where} lacks manifest ${d.digest}`, 'export the whole image again');
    });
    if (sha256(bytes) !== d.digest)
      throw new CliError(`manifest ${d.digest} in ${where} is corrupt`, 'export it again');
    const mediaType =
      parseJson<{ mediaType?: string }>(bytes, `manifest ${d.digest}`).mediaType ?? d.mediaType;
    return { mediaType, digest: d.digest, bytes };
  };
  const root = await readManifest(chosen);
  const children: ManifestBlob[] = [];
  const images = INDEXES.has(root.mediaType)
    ? await Promise.all(
        (parseJson<{ manifests: Descriptor[] }>(root.bytes, 'index').manifests ?? []).map(async (d) => {
          const child = await readManifest(d);
          children.push(child);
          return child;
        }),
      )
    : [root];
  const blobs = new Map<string, number>();
  for (const image of images) {
    const manifest = parseJson<{ config: Descriptor; layers: Descriptor[] }>(
      image.bytes,
      `manifest ${image.digest}`,
    );
    for (const d of [manifest.config, ...(manifest.layers ?? [])]) {
      if (!(await files.has(blobPath(d.digest)))) {
        throw new CliError(`${where} lacks blob ${d.digest}`, 'export the whole image again (all layers)');
      }
      blobs.set(d.digest, d.size);
    }
  }
  return {
    blobs: [...blobs].map(([digest, size]) => ({ digest, size })),
    children,
    root,
    open: (digest, start, end) => files.stream(blobPath(digest), start, end),
  };
}

/** Turns a classic `docker save` tarball (manifest.json, <id>/layer.tar) into an OCI image. */
async function dockerSave(
  files: FileAccess,
  where: string,
  ref: string | undefined,
): Promise<Omit<ImageSource, 'close'>> {
  const images = parseJson<Array<{ Config: string; RepoTags?: string[] | null; Layers: string[] }>>(
    await files.read('manifest.json'),
    `${where}/manifest.json`,
  );
  const image = ref
    ? images.find((i) => i.RepoTags?.some((t) => t === ref || t.endsWith(`:${ref}`)))
    : images[0];
  if (!image || (!ref && images.length > 1)) {
    throw new CliError(
      `${where} holds ${images.length} images (${images.flatMap((i) => i.RepoTags ?? []).join(', ')})`,
      'pick one with --ref <repo:tag>',
    );
  }
  const paths = new Map<string, string>();
  const config = await files.read(image.Config);
  const configDigest = sha256(config);
  paths.set(configDigest, image.Config);
  const layers: Descriptor[] = [];
  for (const layer of image.Layers) {
    const digest = await files.hash(layer);
    const head = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      files
        .stream(layer, 0, 1)
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => resolve(Buffer.concat(chunks)))
        .on('error', reject);
    });
    const gzipped = head[0] === 0x1f && head[1] === 0x8b;
    paths.set(digest, layer);
    layers.push({
      mediaType: gzipped ? MEDIA.ociLayerGzip : MEDIA.ociLayer,
      digest,
      size: await files.size(layer),
    });
  }
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: config.length },
      layers,
    }),
  );
  return {
    blobs: [
      { digest: configDigest, size: config.length },
      ...layers.map((l) => ({ digest: l.digest, size: l.size })),
    ],
    children: [],
    root: { mediaType: MEDIA.ociManifest, digest: sha256(bytes), bytes },
    open: (digest, start, end) => {
      const path = paths.get(digest);
      if (!path) throw new Error(`no blob ${digest}`);
      return files.stream(path, start, end);
    },
  };
}

/**
 * Opens an OCI image layout directory, an OCI archive, or a `docker save` tarball (also gzipped).
 * `ref` picks an image when the source holds several.
 */
export async function openImageSource(path: string, ref?: string): Promise<ImageSource> {
  const info = await stat(path).catch(() => {
    throw new CliError(`${path} does not exist`, 'give an OCI image layout directory or an image tarball');
  });
  let files: FileAccess;
  let cleanup = async () => {};
  if (info.isDirectory()) {
    files = directoryAccess(path);
  } else {
    const handle = await open(path, 'r');
    const magic = Buffer.alloc(2);
    await handle.read(magic, 0, 2, 0);
    await handle.close();
    if (magic[0] === 0x1f && magic[1] === 0x8b) {
      // A compressed tarball has no random access: unpack it once into a temp dir.
      const dir = await mkdtemp(join(tmpdir(), 'benchline-image-'));
      cleanup = () => rm(dir, { recursive: true, force: true });
      const tar = await import('tar');
      try {
        await tar.x({ file: path, cwd: dir, strict: true, preservePaths: false });
      } catch (error) {
        // node-tar may still be writing the entries before the refused one: retry until the dir is gone.
        await rm(dir, { recursive: true, force: true, maxRetries: 10 }).catch(() => {});
        throw new CliError(
          `${path} cannot be unpacked safely: ${(error as Error).message}`,
          'an image tarball never holds paths outside itself (../, absolute); export it again with `docker save` or `skopeo copy … oci-archive:…`',
        );
      }
      files = directoryAccess(dir);
    } else {
      files = tarAccess(path, await indexTar(path));
    }
  }
  try {
    let source: Omit<ImageSource, 'close'>;
    if ((await files.has('index.json')) && (await files.has('oci-layout')))
      source = await ociLayout(files, path, ref);
    else if (await files.has('manifest.json')) source = await dockerSave(files, path, ref);
    else
      throw new CliError(
        `${path} is neither an OCI image layout nor a docker save tarball`,
        'export one with `skopeo copy … oci:<dir>:<tag>`, `docker save -o image.tar <image>`, or build one with `benchline image build`',
      );
    return { ...source, close: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
