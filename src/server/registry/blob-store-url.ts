import type { S3BlobStoreOptions } from './s3-blob-store.js';

type Env = Record<string, string | undefined>;

const PARAMS = ['endpoint', 'region', 'forcePathStyle', 'redirect'] as const;
/** S3's rules for bucket names (3–63 of a-z 0-9 . -, starting and ending with a letter or digit). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function flag(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new Error(`${name}=${raw}: use true or false`);
}

/**
 * Reads `BENCHLINE_BLOB_STORE` (docs/operations.md, "Blob storage"): unset, empty or `disk` means the
 * disk under BENCHLINE_BLOB_DIR; `s3://bucket[/prefix]?endpoint=…&region=…&forcePathStyle=…&redirect=…`
 * means object storage. Throws a message naming what to fix.
 */
export function parseBlobStoreUrl(raw: string | undefined, env: Env = {}): S3BlobStoreOptions | null {
  if (raw === undefined || raw === '' || raw === 'disk') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('not a URL');
  }
  if (url.protocol !== 's3:')
    throw new Error(`the scheme ${url.protocol} is not known: only s3:// (or disk)`);
  if (url.username || url.password) {
    throw new Error('credentials do not belong in the URL: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  }
  const bucket = url.hostname;
  if (!BUCKET.test(bucket)) throw new Error(`"${bucket}" is not a bucket name`);
  for (const name of url.searchParams.keys()) {
    if (!(PARAMS as readonly string[]).includes(name)) {
      throw new Error(`the parameter ${name} is not known: use ${PARAMS.join(', ')}`);
    }
  }
  const endpointRaw = url.searchParams.get('endpoint') || null;
  let endpoint: string | null = null;
  if (endpointRaw) {
    let parsed: URL;
    try {
      parsed = new URL(endpointRaw);
    } catch {
      throw new Error(`endpoint=${endpointRaw} is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`endpoint=${endpointRaw}: give an http:// or https:// URL`);
    }
    endpoint = endpointRaw.replace(/\/$/, '');
  }
  const region = url.searchParams.get('region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || null;
  if (!region && !endpoint) {
    throw new Error('no region: add ?region=… (or set AWS_REGION)');
  }
  const prefix = decodeURIComponent(url.pathname).replace(/^\/+/, '').replace(/\/+$/, '');
  if (prefix && !/^[A-Za-z0-9._\-/]+$/.test(prefix)) {
    throw new Error(`the prefix "${prefix}" may hold only letters, digits, ".", "_", "-" and "/"`);
  }
  return {
    bucket,
    prefix: prefix ? `${prefix}/` : '',
    endpoint,
    // Self-hosted services ignore the region but the signature needs one.
    region: region ?? 'us-east-1',
    // Self-hosted services seldom have a DNS name per bucket, AWS deprecates path style.
    forcePathStyle: flag(url.searchParams, 'forcePathStyle', endpoint !== null),
    redirect: flag(url.searchParams, 'redirect', true),
  };
}
