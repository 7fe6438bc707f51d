import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { badInput } from '../errors.js';
import { RESULT_ORDER, RESULT_SELECT, type ResultColumns, type ResultRow, resultRow } from './queries.js';

/** Benchmarks per page of a report's results when the caller does not say, and the most a page holds. */
export const RESULT_PAGE_DEFAULT = 100;
export const RESULT_PAGE_MAX = 100;

export interface ResultPage {
  /** The page's metrics, ordered by iteration, benchmark name, measure name. */
  rows: ResultRow[];
  hasNextPage: boolean;
  /** Give it as `after` for the next page; null when the page is empty. */
  endCursor: string | null;
}

const encode = (name: string, id: string) => Buffer.from(JSON.stringify([name, id])).toString('base64url');

function decode(cursor: string): [string, string] {
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    if (typeof name !== 'string' || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error();
    return [name, id];
  } catch {
    throw badInput('the cursor is not one this server gave out; start again without after', 'after');
  }
}

/**
 * One page of each report's results: `first` benchmarks in name order after the cursor, with every
 * iteration and measure of each. A report may hold 10,000 benchmarks × 16 measures; reading it whole
 * in one request blocked the event loop for seconds, a page costs the same whatever the report.
 * Two statements for any number of reports (a list of reports with their results).
 */
export async function reportResultPages(
  db: Database,
  reportIds: readonly string[],
  args: { first?: number | null; after?: string | null },
): Promise<Map<string, ResultPage>> {
  const first = args.first ?? RESULT_PAGE_DEFAULT;
  if (!Number.isInteger(first) || first < 1 || first > RESULT_PAGE_MAX) {
    throw badInput(`ask for 1 to ${RESULT_PAGE_MAX} benchmarks a page`, 'first');
  }
  const after = args.after ? decode(args.after) : null;
  // Benchmark names are unique per project: the name alone orders the page, read from the
  // (project_id, name) key and kept when the report has the benchmark, so a page reads `first` rows.
  const { rows: paged } = await sql<{ report_id: string; id: string; name: string }>`
    SELECT r.id AS report_id, p.id, p.name
    FROM report r
    CROSS JOIN LATERAL (
      SELECT bm.id, bm.name FROM benchmark bm
      WHERE bm.project_id = r.project_id
        ${after ? sql`AND bm.name > ${after[0]}` : sql``}
        AND EXISTS (SELECT 1 FROM report_benchmark rb WHERE rb.report_id = r.id AND rb.benchmark_id = bm.id)
      ORDER BY bm.name
      LIMIT ${first + 1}
    ) p
    WHERE r.id = any(${reportIds as string[]}::uuid[])
  `.execute(db);
  const shown = new Map<string, { id: string; name: string }[]>(reportIds.map((id) => [id, []]));
  const more = new Set<string>();
  for (const row of paged) {
    const page = shown.get(row.report_id)!;
    if (page.length < first) page.push(row);
    else more.add(row.report_id);
  }
  const benchmarkIds = [...new Set(paged.map((r) => r.id))];
  const { rows } = benchmarkIds.length
    ? await sql<ResultColumns>`
    ${RESULT_SELECT}
    WHERE m.report_benchmark_id = any(ARRAY(
      SELECT rb.id FROM report_benchmark rb
      WHERE rb.report_id = any(${reportIds as string[]}::uuid[]) AND rb.benchmark_id = any(${benchmarkIds}::uuid[])
    ))
    ORDER BY ${RESULT_ORDER}
  `.execute(db)
    : { rows: [] };
  const out = new Map<string, ResultPage>();
  for (const [reportId, page] of shown) {
    const last = page[page.length - 1];
    out.set(reportId, {
      rows: [],
      hasNextPage: more.has(reportId),
      endCursor: last ? encode(last.name, last.id) : null,
    });
  }
  const onPage = new Map([...shown].map(([id, page]) => [id, new Set(page.map((b) => b.id))]));
  for (const r of rows) {
    // Reports of one project share benchmarks: keep each report's own page only.
    if (!onPage.get(r.report_id)?.has(r.benchmark_id)) continue;
    out.get(r.report_id)!.rows.push(resultRow(r));
  }
  return out;
}
