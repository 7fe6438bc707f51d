import { CliError } from '../errors.js';

/** The server's largest page (Pothos relay's maximum). */
const PAGE = 100;

interface Connection<T> {
  edges: Array<{ node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** `--limit <n>` as a whole number from 1 to max, or a CliError saying what to pass. */
export function parseLimit(flag: string | undefined, fallback: number, max: number): number {
  const limit = Number(flag ?? fallback);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new CliError(`--limit ${flag}: not a whole number from 1 to ${max}`, `e.g. --limit ${fallback}`);
  }
  return limit;
}

/** Up to `limit` nodes of a connection, reading as many pages as that takes. */
export async function collectPages<T>(
  limit: number,
  page: (first: number, after: string | null) => Promise<Connection<T>>,
): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  while (out.length < limit) {
    const connection = await page(Math.min(PAGE, limit - out.length), after);
    out.push(...connection.edges.map((e) => e.node));
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) break;
    after = connection.pageInfo.endCursor;
  }
  return out;
}

/** The most rows a list command prints without a --limit of its own; past it, it says so. */
export const LIST_MAX = 10_000;

/**
 * Every node of a connection, page by page (the server answers at most 100 a page), up to LIST_MAX;
 * when more follow it says so on stderr, so that a list is never silently cut at a page.
 */
export async function collectAll<T>(
  what: string,
  page: (first: number, after: string | null) => Promise<Connection<T>>,
): Promise<T[]> {
  const nodes = await collectPages<T>(LIST_MAX + 1, page);
  if (nodes.length <= LIST_MAX) return nodes;
  console.error(`(the first ${LIST_MAX.toLocaleString('en')} ${what} shown; there are more)`);
  return nodes.slice(0, LIST_MAX);
}
