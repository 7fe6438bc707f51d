import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../errors.js';
import { buildLayer } from './layer.js';
import { MEDIA, openImageSource, sha256 } from './source.js';

export interface BuildOptions {
  /** The directory packed into the image's one new layer. */
  dir: string;
  /** Where in the image the directory lands; `/` by default. */
  prefix?: string;
  entrypoint?: string[];
  cmd?: string[];
  /** `KEY=VALUE`, added to (and overriding) the base image's. */
  env?: string[];
  workdir?: string;
  /** An OCI image layout whose image is the base. */
  base?: string;
  baseRef?: string;
  /** The tag recorded in the layout's index (org.opencontainers.image.ref.name). */
  tag: string;
  /** The OCI image layout directory to write (created or added to). */
  output: string;
}

export interface BuiltImage {
  layout: string;
  manifestDigest: string;
  layerDigest: string;
}

interface ImageConfig {
  architecture?: string;
  os?: string;
  config?: Record<string, unknown> & {
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
  };
  rootfs?: { type: 'layers'; diff_ids: string[] };
  [key: string]: unknown;
}

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

/** Merges env lists by key, later entries winning, keeping first-seen order. */
export function mergeEnv(base: string[], extra: string[]): string[] {
  const merged = new Map<string, string>();
  for (const entry of [...base, ...extra]) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new CliError(`--env ${entry} is not KEY=VALUE`, 'write it as --env NAME=value');
    merged.set(entry.slice(0, eq), entry);
  }
  return [...merged.values()];
}

async function writeBlob(layout: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  await writeFile(join(layout, 'blobs', 'sha256', digest.slice(7)), data);
  return digest;
}

/**
 * Builds a one-layer image (on top of an optional base) into an OCI image layout, reproducibly:
 * the same inputs give the same manifest digest, so pushing twice changes nothing.
 */
export async function buildImage(options: BuildOptions): Promise<BuiltImage> {
  const info = await stat(options.dir).catch(() => null);
  if (!info?.isDirectory())
    throw new CliError(`${options.dir} is not a directory`, 'give the directory to pack');
  const layout = options.output;
  await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });

  let baseConfig: ImageConfig = {};
  const baseLayers: Array<{ mediaType: string; digest: string; size: number }> = [];
  if (options.base) {
    const base = await openImageSource(options.base, options.baseRef);
    try {
      const manifest = JSON.parse(base.root.bytes.toString('utf8'));
      if (!manifest.config) {
        throw new CliError(
          `the base ${options.base} is a multi-platform index`,
          'give a single-platform base image',
        );
      }
      baseConfig = JSON.parse((await readAll(base.open(manifest.config.digest))).toString('utf8'));
      for (const layer of manifest.layers ?? []) {
        baseLayers.push({ mediaType: layer.mediaType, digest: layer.digest, size: layer.size });
        const target = join(layout, 'blobs', 'sha256', layer.digest.slice(7));
        if (await stat(target).catch(() => null)) continue;
        await writeFile(target, base.open(layer.digest));
      }
    } finally {
      await base.close();
    }
  }

  const temp = join(layout, 'blobs', 'sha256', `.tmp-${randomUUID()}`);
  let layer: Awaited<ReturnType<typeof buildLayer>>;
  try {
    layer = await buildLayer(options.dir, options.prefix ?? '/', temp);
    await rename(temp, join(layout, 'blobs', 'sha256', layer.digest.slice(7)));
  } finally {
    await rm(temp, { force: true });
  }

  const inherited = baseConfig.config ?? {};
  const runtime: NonNullable<ImageConfig['config']> = { ...inherited };
  runtime.Env = mergeEnv(
    inherited.Env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    options.env ?? [],
  );
  if (options.entrypoint) {
    runtime.Entrypoint = options.entrypoint;
    // Docker semantics: a new entrypoint drops the base's CMD unless one is given.
    runtime.Cmd = options.cmd ?? null;
  } else if (options.cmd) {
    runtime.Cmd = options.cmd;
  }
  if (options.workdir) runtime.WorkingDir = options.workdir;
  if (!runtime.Entrypoint?.length && !runtime.Cmd?.length) {
    throw new CliError('the image would have nothing to run', 'pass --entrypoint (and optionally --cmd)');
  }
  const config: ImageConfig = {
    ...baseConfig,
    architecture: baseConfig.architecture ?? GO_ARCH[process.arch] ?? process.arch,
    os: baseConfig.os ?? 'linux',
    config: runtime,
    rootfs: { type: 'layers', diff_ids: [...(baseConfig.rootfs?.diff_ids ?? []), layer.diffId] },
  };
  delete config.history;
  delete config.created;
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDigest = await writeBlob(layout, configBytes);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: configBytes.length },
      layers: [...baseLayers, { mediaType: MEDIA.ociLayerGzip, digest: layer.digest, size: layer.size }],
    }),
  );
  const manifestDigest = await writeBlob(layout, manifest);
  await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const indexPath = join(layout, 'index.json');
  const existing = await readFile(indexPath, 'utf8')
    .then((text) => JSON.parse(text) as { manifests?: Array<{ annotations?: Record<string, string> }> })
    .catch(() => ({ manifests: [] }));
  const others = (existing.manifests ?? []).filter(
    (d) => d.annotations?.['org.opencontainers.image.ref.name'] !== options.tag,
  );
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA.ociIndex,
    manifests: [
      ...others,
      {
        mediaType: MEDIA.ociManifest,
        digest: manifestDigest,
        size: manifest.length,
        annotations: { 'org.opencontainers.image.ref.name': options.tag },
      },
    ],
  };
  await writeFile(indexPath, JSON.stringify(index));
  return { layout, manifestDigest, layerDigest: layer.digest };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
