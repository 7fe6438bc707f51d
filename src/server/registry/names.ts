import { registryError } from './errors.js';

/** Path components as the database's check constraint accepts them (the OCI grammar with single separators). */
const COMPONENT = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const ANY_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export const MAX_NAME_LENGTH = 255;

export const isDigest = (value: string): boolean => DIGEST.test(value);
export const isTag = (value: string): boolean => TAG.test(value);

/**
 * Repository names are `<project-slug>` or `<project-slug>/<name>[/…]`: the first component
 * names the project that owns the repository and decides who may pull and push.
 */
export function checkRepositoryName(name: string): { projectSlug: string } {
  const components = name.split('/');
  if (name.length > MAX_NAME_LENGTH || !components.every((c) => COMPONENT.test(c))) {
    throw registryError(
      'NAME_INVALID',
      `invalid repository name "${name.slice(0, 300)}": use <project-slug> or <project-slug>/<name>, lower-case letters, digits and single . _ - separators`,
      { name: name.slice(0, 300) },
    );
  }
  return { projectSlug: components[0] };
}

/** Accepts only sha256, the one algorithm this registry stores; other well-formed digests are UNSUPPORTED. */
export function checkDigest(value: string | null | undefined, what = 'digest'): string {
  if (value && DIGEST.test(value)) return value;
  if (value && ANY_DIGEST.test(value) && !value.startsWith('sha256:')) {
    throw registryError('DIGEST_INVALID', `unsupported digest algorithm in ${what} ${value}: use sha256`, {
      digest: value,
    });
  }
  throw registryError('DIGEST_INVALID', `invalid ${what}: expected sha256:<64 hex digits>`, {
    digest: value ?? null,
  });
}

export function checkReference(value: string): { tag: string } | { digest: string } {
  if (value.includes(':')) return { digest: checkDigest(value, 'manifest digest') };
  if (!TAG.test(value)) {
    throw registryError('MANIFEST_INVALID', `invalid tag "${value.slice(0, 200)}"`, {
      tag: value.slice(0, 200),
    });
  }
  return { tag: value };
}
