import { createHash } from 'node:crypto';
import { registryError } from './errors.js';
import { isDigest } from './names.js';

export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const INDEX_TYPES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList]);
const IMAGE_TYPES = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);

// Layers that live elsewhere by design; a registry never holds their bytes.
const FOREIGN_LAYER = /foreign|nondistributable/;
const LAYER_TYPE = /^application\/vnd\.(oci\.image\.layer\.|docker\.image\.rootfs\.)/;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  urls?: string[];
}

export interface ParsedManifest {
  digest: string;
  mediaType: string;
  /** Config and layers that must be blobs in the repository. */
  blobs: Descriptor[];
  /** Child manifests (of an index) that must already be in the repository. */
  manifests: Descriptor[];
  subject: Descriptor | null;
  artifactType: string | null;
  annotations: Record<string, string> | null;
}

export const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

const invalid = (message: string, detail: unknown = null) =>
  registryError('MANIFEST_INVALID', message, detail);

function descriptor(value: unknown, where: string): Descriptor {
  const d = value as Descriptor;
  if (!d || typeof d !== 'object') throw invalid(`${where} is not a descriptor object`);
  if (typeof d.mediaType !== 'string' || !d.mediaType) throw invalid(`${where}.mediaType is missing`);
  if (typeof d.digest !== 'string' || !isDigest(d.digest))
    throw invalid(`${where}.digest must be sha256:<64 hex digits>`, { digest: d.digest ?? null });
  if (!Number.isSafeInteger(d.size) || d.size < 0) throw invalid(`${where}.size must be a whole number ≥ 0`);
  return d;
}

/**
 * Validates a manifest as OCI and Docker clients send them: an image manifest (config + layers)
 * or an index (manifests), in OCI or Docker media types, with an optional subject (referrers).
 */
export function parseManifest(body: Buffer, contentType: string | undefined): ParsedManifest {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('the manifest is not valid JSON');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw invalid('the manifest is not a JSON object');
  if (json.schemaVersion !== 2) throw invalid('only schemaVersion 2 manifests are supported');
  const declared = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  const header = contentType?.split(';')[0].trim().toLowerCase();
  const fromHeader = header && (IMAGE_TYPES.has(header) || INDEX_TYPES.has(header)) ? header : undefined;
  if (fromHeader && declared && declared !== fromHeader) {
    throw invalid(`Content-Type ${fromHeader} does not match the manifest's mediaType ${declared}`);
  }
  const mediaType =
    fromHeader ??
    declared ??
    (Array.isArray(json.manifests)
      ? MEDIA_TYPES.ociIndex
      : json.config
        ? MEDIA_TYPES.ociManifest
        : undefined);
  if (!mediaType || !(IMAGE_TYPES.has(mediaType) || INDEX_TYPES.has(mediaType))) {
    throw invalid(
      `unsupported manifest media type ${mediaType ?? '(none)'}: push an OCI or Docker v2 manifest`,
    );
  }
  const subject = json.subject === undefined ? null : descriptor(json.subject, 'subject');
  const annotations = (json.annotations as Record<string, string> | undefined) ?? null;
  const artifactType = typeof json.artifactType === 'string' ? json.artifactType : null;
  if (INDEX_TYPES.has(mediaType)) {
    if (!Array.isArray(json.manifests)) throw invalid('an index needs a manifests array');
    return {
      digest: sha256(body),
      mediaType,
      blobs: [],
      manifests: json.manifests.map((m, i) => descriptor(m, `manifests[${i}]`)),
      subject,
      artifactType,
      annotations,
    };
  }
  const config = descriptor(json.config, 'config');
  if (!Array.isArray(json.layers)) throw invalid('an image manifest needs a layers array');
  const layers = json.layers.map((l, i) => descriptor(l, `layers[${i}]`));
  // A runner would find a tarball where the image's JSON config should be and fail the job late.
  if (LAYER_TYPE.test(config.mediaType) || layers.some((l) => l.digest === config.digest)) {
    throw invalid(
      `the manifest's config is a layer (${config.mediaType}); push the image's JSON config as config`,
      {
        config: config.digest,
      },
    );
  }
  return {
    digest: sha256(body),
    mediaType,
    blobs: [config, ...layers.filter((l) => !FOREIGN_LAYER.test(l.mediaType))],
    manifests: [],
    subject,
    artifactType: artifactType ?? config.mediaType,
    annotations,
  };
}
