import { randomInt } from 'node:crypto';

const BASE_36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const SUFFIX_LENGTH = 7;

/** How many suffixed slugs a create tries before giving up (a clash of 36^7 suffixes is an attack or a bug). */
export const SLUG_ATTEMPTS = 5;

/**
 * `slug` with a short random suffix, for a new name whose slug another name already has (Bencher
 * does the same): two names must never share one slug, or their histories would merge.
 */
export function suffixedSlug(slug: string, maxLength: number): string {
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += BASE_36[randomInt(36)];
  // The slug starts with a letter or digit, so trimming trailing separators never empties it.
  const head = slug.slice(0, maxLength - SUFFIX_LENGTH - 1).replace(/[-._]+$/, '');
  return `${head}-${suffix}`;
}
