import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';

export type LayerEntry =
  | { type: 'file'; path: string; content?: string | Buffer; mode?: number }
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'hardlink'; path: string; target: string };

export type Compression = 'gzip' | 'zstd' | 'none';

export interface ImageConfigInput {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
}

export interface BuiltLayer {
  /** The blob as stored (compressed or not). */
  blob: Buffer;
  /** The uncompressed tar. */
  tar: Buffer;
  compression: Compression;
  digest: string;
  diffId: string;
  mediaType: string;
}

export interface BuiltImage {
  dir: string;
  tag: string;
  manifestDigest: string;
  manifest: Buffer;
  configDigest: string;
  config: Buffer;
  layers: BuiltLayer[];
}

export const sha256 = (data: Buffer | string): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;

function block512(data: Buffer): Buffer {
  const pad = (512 - (data.length % 512)) % 512;
  return pad ? Buffer.concat([data, Buffer.alloc(pad)]) : data;
}

/** A raw tar stream written header by header, so hostile paths and links survive untouched. */
export function buildTar(entries: LayerEntry[]): Buffer {
  const parts: Buffer[] = [];
  const mtime = new Date('2024-01-01T00:00:00Z');
  for (const entry of entries) {
    const body =
      entry.type === 'file'
        ? Buffer.isBuffer(entry.content)
          ? entry.content
          : Buffer.from(entry.content ?? '')
        : Buffer.alloc(0);
    const header = new Header({
      path: entry.path,
      mode:
        entry.type === 'file' ? (entry.mode ?? 0o644) : entry.type === 'dir' ? (entry.mode ?? 0o755) : 0o777,
      uid: 0,
      gid: 0,
      size: body.length,
      mtime,
      type:
        entry.type === 'file'
          ? 'File'
          : entry.type === 'dir'
            ? 'Directory'
            : entry.type === 'symlink'
              ? 'SymbolicLink'
              : 'Link',
      linkpath: entry.type === 'symlink' || entry.type === 'hardlink' ? entry.target : undefined,
    });
    const headerBlock = Buffer.alloc(512);
    header.encode(headerBlock, 0);
    if (header.needPax) throw new Error(`test helper: path too long for a plain header: ${entry.path}`);
    parts.push(headerBlock);
    if (body.length) parts.push(block512(body));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function compress(tar: Buffer, compression: Compression): Buffer {
  if (compression === 'gzip') return gzipSync(tar);
  if (compression === 'zstd') return execFileSync('zstd', ['-q', '-c', '-3'], { input: tar });
  return tar;
}

export function buildLayer(entries: LayerEntry[], compression: Compression = 'gzip'): BuiltLayer {
  const tar = buildTar(entries);
  const blob = compress(tar, compression);
  const suffix = compression === 'gzip' ? '+gzip' : compression === 'zstd' ? '+zstd' : '';
  return {
    blob,
    tar,
    compression,
    digest: sha256(blob),
    diffId: sha256(tar),
    mediaType: `application/vnd.oci.image.layer.v1.tar${suffix}`,
  };
}

const BUSYBOX_APPLETS = [
  'sh',
  'echo',
  'cat',
  'ls',
  'sleep',
  'env',
  'id',
  'ip',
  'wget',
  'touch',
  'mkdir',
  'head',
  'yes',
  'true',
  'false',
  'pwd',
  'ps',
  'nc',
];

/** bin/busybox (static) plus applet symlinks, /etc/passwd, and the usual mount points. */
export function busyboxEntries(): LayerEntry[] {
  return [
    { type: 'dir', path: 'bin/' },
    { type: 'file', path: 'bin/busybox', content: readFileSync('/usr/bin/busybox'), mode: 0o755 },
    ...BUSYBOX_APPLETS.map(
      (name): LayerEntry => ({ type: 'symlink', path: `bin/${name}`, target: 'busybox' }),
    ),
    { type: 'dir', path: 'etc/' },
    {
      type: 'file',
      path: 'etc/passwd',
      content: 'root:x:0:0:root:/root:/bin/sh\nbench:x:1000:1000:bench:/home/bench:/bin/sh\n',
    },
    { type: 'file', path: 'etc/group', content: 'root:x:0:\nbench:x:1000:\n' },
    { type: 'dir', path: 'tmp/', mode: 0o1777 },
    { type: 'dir', path: 'proc/' },
    { type: 'dir', path: 'dev/' },
  ];
}

// Hostile layer builders for the unpacker's refusal tests.
export const hostile = {
  traversal: (name = 'x'): LayerEntry[] => [{ type: 'file', path: `../${name}`, content: 'escaped' }],
  nestedTraversal: (name = 'x'): LayerEntry[] => [
    { type: 'dir', path: 'a/' },
    { type: 'file', path: `a/../../${name}`, content: 'escaped' },
  ],
  absolutePath: (path: string): LayerEntry[] => [{ type: 'file', path, content: 'escaped' }],
  /** A relative symlink climbing out of the rootfs from where it sits. */
  symlinkEscape: (depth = 3): LayerEntry[] => [
    { type: 'dir', path: 'a/' },
    { type: 'symlink', path: 'a/out', target: `${'../'.repeat(depth)}etc` },
  ],
  /** An absolute target with `..` above the root. */
  absoluteSymlinkEscape: (): LayerEntry[] => [{ type: 'symlink', path: 'out', target: '/../../../../etc' }],
  /** A symlink to a host directory, then an entry written through it. */
  writeThroughSymlink: (hostDir: string, name = 'pwned'): LayerEntry[] => [
    { type: 'symlink', path: 'link', target: hostDir },
    { type: 'file', path: `link/${name}`, content: 'escaped' },
  ],
  hardlinkEscape: (target = '../../../etc/passwd'): LayerEntry[] => [
    { type: 'hardlink', path: 'stolen', target },
  ],
  /** A hardlink whose target path goes through a symlink pointing at the host. */
  hardlinkThroughSymlink: (hostFile: string): LayerEntry[] => [
    { type: 'symlink', path: 'hostdir', target: hostFile.slice(0, hostFile.lastIndexOf('/')) || '/' },
    { type: 'hardlink', path: 'stolen', target: `hostdir/${hostFile.slice(hostFile.lastIndexOf('/') + 1)}` },
  ],
};

export const whiteout = (dir: string, name: string): LayerEntry => ({
  type: 'file',
  path: `${dir ? `${dir.replace(/\/$/, '')}/` : ''}.wh.${name}`,
});

export const opaque = (dir: string): LayerEntry => ({
  type: 'file',
  path: `${dir.replace(/\/$/, '')}/.wh..wh..opq`,
});

async function writeBlob(dir: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  await writeFile(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
  return digest;
}

/** A layer blob already in a layout: what the manifest and the image config say of it. */
export interface LayerDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  /** The uncompressed tar's digest (the digest itself for an uncompressed layer). */
  diffId: string;
}

export interface ImageOptions {
  config?: ImageConfigInput;
  tag?: string;
  architecture?: string;
}

/**
 * Completes an OCI image layout whose layer blobs are already under `dir/blobs/sha256`: the image
 * config, the manifest, oci-layout and index.json (so a bench can stream large layers to disk).
 */
export async function writeOciManifest(
  dir: string,
  layers: LayerDescriptor[],
  options: ImageOptions = {},
): Promise<Omit<BuiltImage, 'layers'>> {
  const tag = options.tag ?? 'latest';
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const config = Buffer.from(
    JSON.stringify({
      architecture: options.architecture ?? 'amd64',
      os: 'linux',
      config: options.config ?? {},
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    }),
  );
  const configDigest = await writeBlob(dir, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    }),
  );
  const manifestDigest = await writeBlob(dir, manifest);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: manifestDigest,
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return { dir, tag, manifestDigest, manifest, configDigest, config };
}

/** Writes an OCI image layout (oci-layout, index.json, blobs) that `skopeo copy oci:<dir>:<tag>` reads. */
export async function buildOciImage(
  options: ImageOptions & { dir: string; layers: BuiltLayer[] },
): Promise<BuiltImage> {
  await mkdir(join(options.dir, 'blobs', 'sha256'), { recursive: true });
  for (const layer of options.layers) await writeBlob(options.dir, layer.blob);
  const descriptors = options.layers.map((l) => ({
    mediaType: l.mediaType,
    digest: l.digest,
    size: l.blob.length,
    diffId: l.diffId,
  }));
  return { ...(await writeOciManifest(options.dir, descriptors, options)), layers: options.layers };
}
