import { BenchlineError } from '../errors.js';

/**
 * PostgreSQL's text and jsonb cannot hold U+0000: a NUL reaching a statement fails it with a
 * database error, which callers would take for our fault (INTERNAL) and retry for ever. This is
 * the one rule for it, applied where text enters: every GraphQL request (document and variables)
 * and every adapter's parse output.
 */
export function hasUnstorableText(text: string): boolean {
  return text.includes('\u0000');
}

/** The path of the first string (or object key) PostgreSQL cannot store, or null. */
export function unstorablePath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return hasUnstorableText(value) ? path || '(value)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (hasUnstorableText(key)) return at;
      const found = unstorablePath(item, at);
      if (found) return found;
    }
  }
  return null;
}

/** BAD_INPUT naming where the NUL was, for a request that carries one. */
export function unstorableInput(where: string): BenchlineError {
  return new BenchlineError(
    'BAD_INPUT',
    `${where} contains a NUL character (U+0000), which cannot be stored; remove it`,
    { field: where },
  );
}
