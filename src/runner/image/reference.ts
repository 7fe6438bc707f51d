import { ImageError } from './errors.js';

export interface ImageReference {
  /** Scheme and authority only, e.g. `https://bench.example.com:5000`. */
  registryUrl: string;
  repository: string;
  digest: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || name.startsWith('127.');
}

/**
 * Parses `registryBase/repo@sha256:…`. The base may carry a scheme (`http://host:port`); without one,
 * loopback registries are assumed to speak plain HTTP, as the registry tools do, and the rest HTTPS.
 */
export function parseImageReference(reference: string): ImageReference {
  const at = reference.lastIndexOf('@');
  if (at < 0) throw new ImageError('BAD_REFERENCE', `image reference has no digest: ${reference}`);
  const digest = reference.slice(at + 1);
  if (!isDigest(digest)) throw new ImageError('BAD_DIGEST', `not a sha256 digest: ${digest}`);
  let rest = reference.slice(0, at);
  let scheme: string | undefined;
  const schemeMatch = /^(https?):\/\//.exec(rest);
  if (schemeMatch) {
    scheme = schemeMatch[1];
    rest = rest.slice(schemeMatch[0].length);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) throw new ImageError('BAD_REFERENCE', `image reference has no registry: ${reference}`);
  const host = rest.slice(0, slash);
  const repository = rest.slice(slash + 1).replace(/:[\w][\w.-]{0,127}$/, '');
  if (!REPOSITORY.test(repository)) {
    throw new ImageError('BAD_REFERENCE', `bad repository name in image reference: ${reference}`);
  }
  const registryUrl = `${scheme ?? (isLoopback(host) ? 'http' : 'https')}://${host}`;
  return { registryUrl, repository, digest };
}
