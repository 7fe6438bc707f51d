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
