// Live streams end to end: a runner appends log lines through server A's GraphQL `appendJobLogs`;
// subscribers follow them over graphql-ws on server B (same database, events over the bus).
// Figures: per-line latency at 1,000 lines/s, delivery to 1,000 subscribers of one job with the
// memory each costs, sustained log ingestion, and a 3-server fan-out (three jobs, each followed on
// its own server: what each server's bus receives). Each on both event buses, NOTIFY and NATS
// (BENCH_NATS_URL, the machine's by default; BENCH_LIVE_BUSES=NOTIFY or NATS runs one). Run with
// `npx tsx bench/live.ts`.
//
// It needs a PostgreSQL server: BENCH_DATABASE_URL or TEST_DATABASE_URL (any database on it), else
// postgres://postgres@127.0.0.1:5432/postgres. A scratch database is created, migrated and dropped.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createAdminToken } from '../src/server/accounts/users.js';
import { type RunningServer, startServer } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createDatabase, type Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { createLogger } from '../src/server/logger.js';
import { createRunner } from '../src/server/runners/runners.js';
import { type GraphqlClient, graphqlClient } from '../test/helpers/graphql-client.js';
import { createJob } from '../test/live/fixtures.js';
import { type Figure, percentile, scratchDatabase } from './_shared.js';

const LINES_PER_SECOND = 1000;
const LATENCY_SECONDS = 3;
const SUBSCRIBERS = 1000;
const SOCKETS = 50;
const FANOUT_LINES = 40;
const INGEST_SECONDS = 3;
const INGEST_WRITERS = 4;
const INGEST_BATCH = 16;
const INGEST_CHUNK = 4096;
const FANOUT3_SUBSCRIBERS = 100;

const NATS_URL = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const BUSES = [
  { name: 'NOTIFY', eventBus: undefined },
  { name: 'NATS', eventBus: NATS_URL },
].filter(
  (bus) => !process.env.BENCH_LIVE_BUSES || process.env.BENCH_LIVE_BUSES.split(',').includes(bus.name),
);
type Bus = (typeof BUSES)[number];

function serverConfig(databaseUrl: string, eventBus: string | undefined) {
  return loadConfig(
    { PORT: '0', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', BENCHLINE_EVENT_BUS: eventBus },
    { rateLimitPerMinute: { anonymous: 1e9, authenticated: 1e9 } },
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const gc = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

async function settledMemory(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

const APPEND = `mutation ($jobId: UUID!, $chunks: [LogChunkInput!]!) { appendJobLogs(jobId: $jobId, chunks: $chunks) }`;
const LOGS =
  'subscription ($jobId: UUID!, $afterSeq: Int) { jobLogs(jobId: $jobId, afterSeq: $afterSeq) { seq text } }';

/** A runner's side: appends through the real mutation, one call at a time, as the log shipper does. */
class Writer {
  next = 0;
  private client: GraphqlClient;
  constructor(
    url: string,
    key: string,
    private jobId: string,
  ) {
    this.client = graphqlClient(url, key);
  }

  async append(lines: Array<Buffer | string>): Promise<void> {
    const chunks = lines.map((line, i) => ({
      stream: 'STDOUT',
      seq: this.next + i,
      data: Buffer.from(line).toString('base64'),
    }));
    const data = await this.client.data<{ appendJobLogs: number }>(APPEND, { jobId: this.jobId, chunks });
    this.next = data.appendJobLogs;
  }
}

export function wsClient(server: { url: string }, token: string): Client {
  return createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
  });
}

/** Follows a job's log; `onLine` gets each line's text. */
export function follow(
  client: Client,
  jobId: string,
  onLine: (text: string, seq: number) => void,
  onError: (e: unknown) => void,
) {
  return client.subscribe(
    { query: LOGS, variables: { jobId } },
    {
      next: (result) => {
        const chunk = (result.data as { jobLogs?: { seq: number; text: string } } | undefined)?.jobLogs;
        if (chunk) onLine(chunk.text, chunk.seq);
        else if (result.errors) onError(result.errors);
      },
      error: onError,
      complete: () => {},
    },
  );
}

/** Server B runs in a process of its own, so its memory is measured apart from the clients'. */
export interface RemoteServer {
  url: string;
  /** heapUsed + external after garbage collection. */
  memory(): Promise<number>;
  stop(): void;
}

export function startServerB(databaseUrl: string, eventBus?: string): Promise<RemoteServer> {
  const child = fork(new URL(import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LIVE_BENCH_SERVER_B: databaseUrl, LIVE_BENCH_BUS: eventBus ?? '' },
  });
  const replies: Array<(value: any) => void> = [];
  child.on('message', (message) => replies.shift()?.(message));
  const ask = (request: string) =>
    new Promise<any>((resolve) => {
      replies.push(resolve);
      child.send(request);
    });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    replies.push((message: { url: string }) =>
      resolve({
        url: message.url,
        memory: async () => ((await ask('memory')) as { bytes: number }).bytes,
        stop: () => child.kill(),
      }),
    );
  });
}

async function serveAsServerB(databaseUrl: string, eventBus: string | undefined): Promise<void> {
  const server = await startServer({
    config: serverConfig(databaseUrl, eventBus),
    log: createLogger('silent'),
  });
  process.on('message', async (message) => {
    if (message === 'memory') process.send?.({ bytes: await settledMemory() });
  });
  process.on('disconnect', () => {
    void server.stop().finally(() => process.exit(0));
  });
  process.send?.({ url: server.url });
}

interface Setup {
  db: Database;
  bus: Bus;
  url: string;
  a: RunningServer;
  b: RemoteServer;
  token: string;
  runnerKey: string;
  runnerId: string;
}

export async function runningJob(setup: Pick<Setup, 'db' | 'runnerId'>): Promise<string> {
  const job = await createJob(setup.db);
  await setup.db
    .updateTable('job')
    .set({ status: 'RUNNING', runner_id: setup.runnerId, claimed_at: new Date(), started_at: new Date() })
    .where('id', '=', job.jobId)
    .execute();
  return job.jobId;
}

/** The live path alone: the insert and publish appendJobLogs does, without its HTTP and GraphQL. */
function domainWriter(server: RunningServer, jobId: string) {
  let next = 0;
  return {
    async append(lines: string[]): Promise<void> {
      const fromSeq = next;
      await server.deps.db
        .insertInto('job_log_chunk')
        .values(
          lines.map((line, i) => ({
            job_id: jobId,
            seq: fromSeq + i,
            stream: 'STDOUT',
            data: Buffer.from(line),
          })),
        )
        .execute();
      next += lines.length;
      await server.deps.events.publish({ topic: 'logs', jobId, fromSeq, toSeq: next - 1 });
    },
  };
}

/** Lines produced at a steady rate; whatever piles up while a call is in flight goes in the next one. */
async function latency(setup: Setup, via: 'appendJobLogs' | 'insert + publish'): Promise<Figure[]> {
  const jobId = await runningJob(setup);
  const writer =
    via === 'appendJobLogs' ? new Writer(setup.a.url, setup.runnerKey, jobId) : domainWriter(setup.a, jobId);
  const client = wsClient(setup.b, setup.token);
  const latencies: number[] = [];
  let failure: unknown;
  let received = 0;
  const stop = follow(
    client,
    jobId,
    (text) => {
      received++;
      latencies.push(performance.now() - Number(text.slice(2)));
    },
    (e) => {
      failure = e;
    },
  );
  await sleep(300);
  const total = LINES_PER_SECOND * LATENCY_SECONDS;
  const start = performance.now();
  let produced = 0;
  const pending: string[] = [];
  const calls: number[] = [];
  while (produced < total || pending.length) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * LINES_PER_SECOND) / 1000));
    for (; produced < due; produced++) {
      pending.push(`t=${(start + (produced * 1000) / LINES_PER_SECOND).toFixed(3)}`);
    }
    if (pending.length) {
      const t0 = performance.now();
      await writer.append(pending.splice(0));
      calls.push(performance.now() - t0);
    } else await sleep(1);
  }
  const until = Date.now() + 10_000;
  while (received < total && !failure && Date.now() < until) await sleep(10);
  stop();
  await client.dispose();
  if (failure) throw new Error(`subscriber failed: ${JSON.stringify(failure)}`);
  if (received !== total) throw new Error(`received ${received} of ${total} lines`);
  calls.sort((x, y) => x - y);
  if (process.env.LIVE_BENCH_DEBUG)
    console.error(
      `${via} calls: ${calls.length}, p50 ${percentile(calls, 50)} ms, p99 ${percentile(calls, 99)} ms`,
    );
  // The first half second warms the JIT and the pools.
  const steady = latencies.slice(LINES_PER_SECOND / 2).sort((x, y) => x - y);
  return [
    {
      name: `log line latency p50 (1,000 lines/s, ${via} on A → graphql-ws on B)`,
      value: percentile(steady, 50),
      unit: 'ms',
      goal: '≤ 20 ms',
    },
    {
      name: `log line latency p99 (1,000 lines/s, ${via} on A → graphql-ws on B)`,
      value: percentile(steady, 99),
      unit: 'ms',
      goal: '≤ 50 ms',
    },
  ];
}

async function fanout(setup: Setup): Promise<Figure[]> {
  const jobId = await runningJob(setup);
  const writer = new Writer(setup.a.url, setup.runnerKey, jobId);
  await writer.append(['t=0']);
  const before = await setup.b.memory();
  const clients = Array.from({ length: SOCKETS }, () => wsClient(setup.b, setup.token));
  const counts = new Array<number>(SUBSCRIBERS).fill(0);
  const latencies: number[] = [];
  let failure: unknown;
  const stops = counts.map((_, i) =>
    follow(
      clients[i % SOCKETS] as Client,
      jobId,
      (text, seq) => {
        counts[i]++;
        if (seq > 0) latencies.push(performance.now() - Number(text.slice(2)));
      },
      (e) => {
        failure = e;
      },
    ),
  );
  const until = Date.now() + 30_000;
  while (counts.some((c) => c < 1) && !failure && Date.now() < until) await sleep(20);
  if (failure) throw new Error(`subscriber failed: ${JSON.stringify(failure)}`);
  const during = await setup.b.memory();
  const perSubscriber = (during - before) / SUBSCRIBERS / 1024;
  for (let i = 0; i < FANOUT_LINES; i++) {
    await writer.append([`t=${performance.now().toFixed(3)}`]);
    await sleep(50);
  }
  const expected = FANOUT_LINES + 1;
  const deadline = Date.now() + 30_000;
  while (counts.some((c) => c < expected) && !failure && Date.now() < deadline) await sleep(20);
  for (const stop of stops) stop();
  await Promise.all(clients.map((c) => c.dispose()));
  if (counts.some((c) => c !== expected)) throw new Error('a subscriber missed lines');
  latencies.sort((x, y) => x - y);
  return [
    {
      name: `delivery p99 to ${SUBSCRIBERS} subscribers of one job`,
      value: percentile(latencies, 99),
      unit: 'ms',
      goal: '≤ 250 ms',
    },
    {
      name: 'memory per subscriber (server B, its own process)',
      value: perSubscriber,
      unit: 'KiB',
      goal: '≤ 50 KiB',
    },
  ];
}

async function ingestion(setup: Setup): Promise<Figure[]> {
  const line = randomBytes(INGEST_CHUNK / 2).toString('hex');
  const batch = Array.from({ length: INGEST_BATCH }, () => line);
  const bytesPerBatch = INGEST_BATCH * INGEST_CHUNK;
  const measure = async (append: (writer: number) => Promise<void>) => {
    let batches = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: INGEST_WRITERS }, async (_, w) => {
        while (performance.now() - start < INGEST_SECONDS * 1000) {
          await append(w);
          batches++;
        }
      }),
    );
    return (batches * bytesPerBatch) / 1e6 / ((performance.now() - start) / 1000);
  };
  const writers = await Promise.all(
    Array.from(
      { length: INGEST_WRITERS },
      async () => new Writer(setup.a.url, setup.runnerKey, await runningJob(setup)),
    ),
  );
  const ours = await measure((w) => (writers[w] as Writer).append(batch));
  // The anchor: the same batches as bare multi-row INSERTs, without HTTP, GraphQL or checks.
  const jobs = await Promise.all(Array.from({ length: INGEST_WRITERS }, () => runningJob(setup)));
  const next = jobs.map(() => 0);
  const data = Buffer.from(line);
  const bare = await measure(async (w) => {
    const from = next[w] as number;
    next[w] = from + INGEST_BATCH;
    await setup.db
      .insertInto('job_log_chunk')
      .values(batch.map((_, i) => ({ job_id: jobs[w] as string, seq: from + i, stream: 'STDOUT', data })))
      .execute();
  });
  return [
    {
      name: `log ingestion via appendJobLogs (${INGEST_WRITERS} runners, ${INGEST_BATCH}×4 KiB batches)`,
      value: ours,
      unit: 'MB/s',
      goal: 'report',
      anchor: bare,
      anchorName: 'bare INSERT',
      ratio: ours / bare,
    },
  ];
}

/**
 * Three servers, three jobs, each followed by subscribers on its own server; lines appended through
 * A. Reports delivery p99 and how many log events each server's bus received per event its own
 * subscribers needed: NOTIFY hands every server every event (3), a routing bus only its own (1).
 */
async function fanout3(setup: Setup): Promise<Figure[]> {
  const others = [
    await startServer({ config: serverConfig(setup.url, setup.bus.eventBus), log: createLogger('silent') }),
  ];
  others.push(
    await startServer({ config: serverConfig(setup.url, setup.bus.eventBus), log: createLogger('silent') }),
  );
  const servers = [setup.a, ...others];
  try {
    const jobs = await Promise.all(servers.map(() => runningJob(setup)));
    const received = servers.map(() => 0);
    const offs = servers.map((server, i) =>
      server.deps.events.subscribe((event) => {
        if (event.topic === 'logs' && jobs.includes(event.jobId)) received[i]!++;
      }),
    );
    const clients = servers.map((server) => wsClient(server, setup.token));
    const counts = servers.map(() => new Array<number>(FANOUT3_SUBSCRIBERS).fill(0));
    const latencies: number[] = [];
    let failure: unknown;
    const stops = servers.flatMap((_, s) =>
      (counts[s] as number[]).map((__, i) =>
        follow(
          clients[s] as Client,
          jobs[s] as string,
          (text) => {
            (counts[s] as number[])[i]!++;
            latencies.push(performance.now() - Number(text.slice(2)));
          },
          (e) => {
            failure = e;
          },
        ),
      ),
    );
    await sleep(1000);
    const writers = jobs.map((jobId) => new Writer(setup.a.url, setup.runnerKey, jobId));
    for (let line = 0; line < FANOUT_LINES; line++) {
      await Promise.all(writers.map((w) => w.append([`t=${performance.now().toFixed(3)}`])));
      await sleep(50);
    }
    const deadline = Date.now() + 30_000;
    const all = () => counts.every((c) => c.every((n) => n >= FANOUT_LINES));
    while (!all() && !failure && Date.now() < deadline) await sleep(20);
    // A feed may read a chunk before that chunk's own event arrives: let the last events land.
    await sleep(500);
    for (const stop of stops) stop();
    await Promise.all(clients.map((c) => c.dispose()));
    for (const off of offs) off();
    if (failure) throw new Error(`subscriber failed: ${JSON.stringify(failure)}`);
    if (!all()) throw new Error('a subscriber missed lines');
    latencies.sort((x, y) => x - y);
    const perNeeded = received.reduce((x, y) => x + y, 0) / servers.length / FANOUT_LINES;
    return [
      {
        name: `3-server fan-out: delivery p99 (3 jobs × ${FANOUT3_SUBSCRIBERS} subscribers, one job per server)`,
        value: percentile(latencies, 99),
        unit: 'ms',
        goal: '≤ 250 ms',
      },
      {
        name: '3-server fan-out: log events received per server per event it needed',
        value: perNeeded,
        unit: '×',
        goal: 'NATS 1, NOTIFY 3',
      },
    ];
  } finally {
    for (const server of others) await server.stop().catch(() => {});
  }
}

async function runOn(bus: Bus): Promise<Figure[]> {
  const scratch = await scratchDatabase('benchline_bench_live');
  const { url } = scratch;
  const db = createDatabase({ url, max: 8 });
  const servers: RunningServer[] = [];
  let b: RemoteServer | undefined;
  try {
    await migrateToLatest(db);
    const a = await startServer({ config: serverConfig(url, bus.eventBus), log: createLogger('silent') });
    servers.push(a);
    b = await startServerB(url, bus.eventBus);
    const token = (await createAdminToken(db, new Date())).secret;
    const runner = await createRunner(db, { name: 'bench runner', specs: [] });
    const setup: Setup = { db, bus, url, a, b, token, runnerKey: runner.key, runnerId: runner.runner.id };
    const figures = [
      ...(await latency(setup, 'appendJobLogs')),
      ...(await latency(setup, 'insert + publish')),
      ...(await fanout(setup)),
      ...(await ingestion(setup)),
      ...(await fanout3(setup)),
    ];
    return figures.map((f) => ({ ...f, name: `[${bus.name}] ${f.name}` }));
  } finally {
    b?.stop();
    for (const server of servers) await server.stop().catch(() => {});
    await db.destroy();
    await scratch.drop();
  }
}

/** Every figure on each bus, the buses side by side (one after the other, in one run). */
export async function run(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const bus of BUSES) figures.push(...(await runOn(bus)));
  return figures;
}

if (process.env.LIVE_BENCH_SERVER_B) {
  await serveAsServerB(process.env.LIVE_BENCH_SERVER_B, process.env.LIVE_BENCH_BUS || undefined);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  const figures = await run();
  for (const f of figures) {
    const anchor =
      f.anchor === undefined
        ? ''
        : `  (${f.anchorName}: ${f.anchor.toFixed(2)} ${f.unit}, ratio ${f.ratio?.toFixed(2)})`;
    console.log(`${f.name}: ${f.value.toFixed(2)} ${f.unit}  goal ${f.goal}${anchor}`);
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exit(0);
}
