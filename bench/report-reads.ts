// Bounded reads: the largest report the limits allow (10,000 benchmarks × 16 measures = 160,000
// metrics) read back by four clients at once, page by page, while a fifth asks /healthz every 10 ms.
// The figure is /healthz p99 during those reads; the anchor is /healthz p99 on the same server, same
// run, with nothing else to do. Before pagination one read of a 50,000-benchmark report took 4 s
// and held /healthz for 2.7 s (5.4 s with four at once). Run with `npx tsx bench/report-reads.ts`.
//
// It needs a PostgreSQL server: BENCH_DATABASE_URL or TEST_DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/postgres. A scratch database is created and dropped.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
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
const PHASE_MS = Number(process.env.PHASE_MS ?? 4_000);
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

/** One page request; the page's metrics count and its cursor. Also run in the readers' worker. */
const readPageSource = `async function readPage(url, token, query, id, after) {
  const res = await fetch(url + '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
    body: JSON.stringify({ query, variables: { id, after } }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors[0]));
  const page = body.data.report.resultPage;
  let metrics = 0;
  for (const it of page.iterations) for (const b of it.benchmarks) metrics += b.measures.length;
  return { metrics, after: page.hasNextPage ? page.endCursor : null };
}`;
const readPage = new Function(`${readPageSource}; return readPage;`)() as (
  url: string,
  token: string,
  query: string,
  id: string,
  after: string | null,
) => Promise<{ metrics: number; after: string | null }>;

/** Reads the whole report page by page; returns the metrics read. */
async function readAll(url: string, token: string, id: string): Promise<number> {
  let after: string | null = null;
  let metrics = 0;
  do {
    const page = await readPage(url, token, PAGE, id, after);
    metrics += page.metrics;
    after = page.after;
  } while (after);
  return metrics;
}

/**
 * The readers run in a worker thread: parsing their 270 kB pages on the server's thread would
 * count the clients' work against the server. Each reads the report from the start, page after
 * page, starting again at the end, until told to stop; it posts each page's latency.
 */
function startReaders(url: string, token: string, id: string): { stop(): Promise<number[]> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     ${readPageSource}
     let reading = true;
     const latencies = [];
     parentPort.on('message', () => { reading = false; });
     const reader = async () => {
       let after = null;
       while (reading) {
         const started = performance.now();
         const page = await readPage(workerData.url, workerData.token, workerData.query, workerData.id, after);
         latencies.push(performance.now() - started);
         after = page.after;
       }
     };
     Promise.all(Array.from({ length: workerData.readers }, reader)).then(
       () => parentPort.postMessage(latencies),
       (error) => parentPort.postMessage({ error: String(error) }),
     );`,
    { eval: true, workerData: { url, token, id, query: PAGE, readers: READERS } },
  );
  const done = new Promise<number[]>((resolve, reject) => {
    worker.once('message', (message) =>
      Array.isArray(message) ? resolve(message) : reject(new Error(message.error)),
    );
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      const latencies = await done;
      await worker.terminate();
      return latencies.sort((a, b) => a - b);
    },
  };
}

/** /healthz latencies and the server thread's event-loop delay over `ms`. */
async function measure(url: string, ms: number): Promise<{ healthz: number[]; loopDelayP99: number }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const end = Date.now() + ms;
  const healthz = await probe(url, () => Date.now() > end);
  delay.disable();
  return { healthz, loopDelayP99: delay.percentile(99) / 1e6 };
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
    const started = performance.now();
    expectFull(await readAll(server.url, token, reportId));
    const wholeRead = performance.now() - started;
    const rounds: { idle: number; busy: number; idleLoop: number; busyLoop: number; pageP50: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const quiet = await measure(server.url, PHASE_MS);
      const readers = startReaders(server.url, token, reportId);
      const loaded = await measure(server.url, PHASE_MS);
      const pages = await readers.stop();
      const r = {
        idle: percentile(quiet.healthz, 99),
        busy: percentile(loaded.healthz, 99),
        idleLoop: quiet.loopDelayP99,
        busyLoop: loaded.loopDelayP99,
        pageP50: percentile(pages, 50),
      };
      rounds.push(r);
      console.error(
        `round ${round + 1}: /healthz p99 idle ${r.idle.toFixed(1)} ms, under ${READERS} readers ${r.busy.toFixed(1)} ms ` +
          `(p50 ${percentile(loaded.healthz, 50).toFixed(1)}, max ${loaded.healthz.at(-1)?.toFixed(1)}, ${loaded.healthz.length} probes); ` +
          `event-loop delay p99 idle ${r.idleLoop.toFixed(1)} ms, under readers ${r.busyLoop.toFixed(1)} ms; ` +
          `${pages.length} pages read, p50 ${r.pageP50.toFixed(0)} ms`,
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} ms`;
    const busy = rounds.map((r) => r.busy);
    const idle = rounds.map((r) => r.idle);
    const busyLoop = rounds.map((r) => r.busyLoop);
    const idleLoop = rounds.map((r) => r.idleLoop);
    console.error(`/healthz p99 under readers per round: ${spread(busy)}; idle: ${spread(idle)}`);
    console.error(
      `one whole read of ${BENCHMARKS} × ${MEASURES} alone (${Math.ceil(BENCHMARKS / PAGE_SIZE)} pages of ${PAGE_SIZE}): ${wholeRead.toFixed(0)} ms`,
    );
    return [
      {
        name: `/healthz p99 while ${READERS} clients read a ${BENCHMARKS} × ${MEASURES} report (median of ${ROUNDS}, spread ${spread(busy)})`,
        value: median(busy),
        unit: 'ms',
        goal: `< ${GOAL_MS} ms or a small factor of idle`,
        anchor: median(idle),
        anchorName: `/healthz p99 idle, same run (spread ${spread(idle)})`,
        ratio: median(busy) / median(idle),
      },
      {
        name: `server event-loop delay p99 while ${READERS} clients read (spread ${spread(busyLoop)})`,
        value: median(busyLoop),
        unit: 'ms',
        goal: `< ${GOAL_MS} ms`,
        anchor: median(idleLoop),
        anchorName: `event-loop delay p99 idle, same run (spread ${spread(idleLoop)})`,
        ratio: median(busyLoop) / median(idleLoop),
      },
      {
        name: `one page of ${PAGE_SIZE} benchmarks with ${READERS} readers (p50, median of ${ROUNDS})`,
        value: median(rounds.map((r) => r.pageP50)),
        unit: 'ms',
        goal: 'report',
      },
      { name: 'one whole read alone, page by page', value: wholeRead, unit: 'ms', goal: 'report' },
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
