// Bounded reads: the largest report the limits allow (10,000 benchmarks × 16 measures = 160,000
// metrics) read back by four clients at once, page by page, while a fifth asks /healthz every 10 ms.
// The figure is /healthz p99 during those reads; the anchor is /healthz p99 on the same server, same
// run, with nothing else to do. Before pagination one read of a 50,000-benchmark report took 4 s
// and held /healthz for 2.7 s (5.4 s with four at once). Run with `npx tsx bench/report-reads.ts`.
//
// It needs a PostgreSQL server: BENCH_DATABASE_URL or TEST_DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/postgres. A scratch database is created and dropped.
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { startServer } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { DEFAULT_OUTPUT_LIMITS } from '../src/server/results/output-limits.js';
import { RESULT_PAGE_MAX } from '../src/server/results/result-page.js';
import { createTenant } from '../test/queue/fixtures.js';
import { type Figure, percentile, scratchDatabase } from './_shared.js';

const BENCHMARKS = DEFAULT_OUTPUT_LIMITS.benchmarks;
const MEASURES = DEFAULT_OUTPUT_LIMITS.measuresPerBenchmark;
const READERS = 4;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PHASE_MS = Number(process.env.PHASE_MS ?? 6_000);
const GOAL_MS = 100;
const PAGE_SIZE = Number(process.env.BENCH_PAGE ?? RESULT_PAGE_MAX);

const PAGE = `query ($id: UUID!, $after: String) {
  report(id: $id) {
    resultPage(first: ${PAGE_SIZE}, after: $after) {
      hasNextPage endCursor
      iterations { iteration benchmarks { benchmark { name } measures {
        measure { slug } value lowerValue upperValue baseline lowerLimit upperLimit change alert { id }
      } } }
    }
  }
}`;

async function seed(db: Parameters<typeof createTenant>[0]): Promise<string> {
  const tenant = await createTenant(db, 'TEAM');
  await sql`
    INSERT INTO measure (project_id, name, slug, units)
    SELECT ${tenant.projectId}::uuid, 'm' || g, 'm' || g, 'ns' FROM generate_series(1, ${MEASURES}) g
  `.execute(db);
  await sql`
    INSERT INTO benchmark (project_id, name, slug)
    SELECT ${tenant.projectId}::uuid, 'bench_' || lpad(g::text, 5, '0'), 'bench_' || g
    FROM generate_series(1, ${BENCHMARKS}) g
  `.execute(db);
  const report = await db
    .insertInto('report')
    .values({
      project_id: tenant.projectId,
      branch_id: tenant.branchId,
      testbed_id: tenant.testbedId,
      adapter: 'json',
      start_time: new Date(),
      end_time: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`
    INSERT INTO report_benchmark (report_id, iteration, benchmark_id)
    SELECT ${report.id}::uuid, 0, id FROM benchmark WHERE project_id = ${tenant.projectId}::uuid
  `.execute(db);
  await sql`
    INSERT INTO metric (report_benchmark_id, report_id, branch_id, testbed_id, benchmark_id, measure_id,
                        iteration, value, time)
    SELECT rb.id, rb.report_id, ${tenant.branchId}::uuid, ${tenant.testbedId}::uuid, rb.benchmark_id, ms.id,
           0, random() * 1000, now()
    FROM report_benchmark rb CROSS JOIN measure ms
    WHERE rb.report_id = ${report.id}::uuid AND ms.project_id = ${tenant.projectId}::uuid
  `.execute(db);
  await sql`ANALYZE`.execute(db);
  return report.id;
}

/** GET /healthz back to back (10 ms apart) until `stop`; each answer's latency in ms. */
async function probe(url: string, stop: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (!stop()) {
    const started = performance.now();
    const res = await fetch(`${url}/healthz`);
    await res.text();
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return latencies.sort((a, b) => a - b);
}

/** Reads the whole report page by page; returns the metrics read. */
async function readAll(url: string, token: string, id: string): Promise<number> {
  let after: string | null = null;
  let metrics = 0;
  for (;;) {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: PAGE, variables: { id, after } }),
    });
    const body = (await res.json()) as any;
    if (body.errors) throw new Error(JSON.stringify(body.errors[0]));
    const page = body.data.report.resultPage;
    for (const it of page.iterations) for (const b of it.benchmarks) metrics += b.measures.length;
    if (!page.hasNextPage) return metrics;
    after = page.endCursor;
  }
}

export async function run(): Promise<Figure[]> {
  const scratch = await scratchDatabase('bench_report_reads');
  let token = '';
  const server = await startServer({
    config: loadConfig({ PORT: '0', DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' }),
    log: createLogger('silent'),
    onBootstrapToken: (secret) => {
      token = secret;
    },
  });
  try {
    const reportId = await seed(server.deps.db);
    if (!token) throw new Error('no admin token');
    expectFull(await readAll(server.url, token, reportId));
    const idle: number[] = [];
    const busy: number[] = [];
    const fullReads: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const quietEnd = Date.now() + PHASE_MS;
      const quiet = await probe(server.url, () => Date.now() > quietEnd);
      let reading = true;
      const readers = Array.from({ length: READERS }, async () => {
        while (reading) {
          const started = performance.now();
          expectFull(await readAll(server.url, token, reportId));
          fullReads.push(performance.now() - started);
        }
      });
      const loadEnd = Date.now() + PHASE_MS;
      const loaded = await probe(server.url, () => Date.now() > loadEnd);
      reading = false;
      await Promise.all(readers);
      idle.push(percentile(quiet, 99));
      busy.push(percentile(loaded, 99));
      console.error(
        `round ${round + 1}: /healthz p99 idle ${percentile(quiet, 99).toFixed(1)} ms, ` +
          `under ${READERS} reads ${percentile(loaded, 99).toFixed(1)} ms (p50 ${percentile(loaded, 50).toFixed(1)}, ` +
          `max ${loaded.at(-1)?.toFixed(1)}, ${loaded.length} probes)`,
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} ms`;
    const sortedReads = [...fullReads].sort((a, b) => a - b);
    console.error(`/healthz p99 under reads per round: ${spread(busy)}; idle: ${spread(idle)}`);
    console.error(
      `one whole read of ${BENCHMARKS} × ${MEASURES} (${Math.ceil(BENCHMARKS / PAGE_SIZE)} pages of ${PAGE_SIZE}) with ${READERS} at once: ` +
        `p50 ${percentile(sortedReads, 50).toFixed(0)} ms, max ${sortedReads.at(-1)?.toFixed(0)} ms (${fullReads.length} reads)`,
    );
    return [
      {
        name: `/healthz p99 while ${READERS} clients read a ${BENCHMARKS} × ${MEASURES} report (median of ${ROUNDS}, spread ${spread(busy)})`,
        value: median(busy),
        unit: 'ms',
        goal: `< ${GOAL_MS} ms`,
        anchor: median(idle),
        anchorName: '/healthz p99 idle, same run',
        ratio: median(busy) / median(idle),
      },
      {
        name: `one whole read, page by page, ${READERS} at once (p50)`,
        value: percentile(sortedReads, 50),
        unit: 'ms',
        goal: 'report',
      },
    ];
  } finally {
    await server.stop();
    await scratch.drop();
  }
}

function expectFull(metrics: number) {
  if (metrics !== BENCHMARKS * MEASURES)
    throw new Error(`read ${metrics} metrics, expected ${BENCHMARKS * MEASURES}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const figure of await run()) console.log(figure);
  process.exit(0);
}
