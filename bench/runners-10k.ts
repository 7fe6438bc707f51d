// 10,000 connected runners on one server process (issue 23 §2). The server runs here; the runners
// run in forked processes (bench/_runners-clients.ts): 10,000 RunnerClients, each with its own
// keep-alive pool, each holding a `claimJob` long-poll and, while it has a job, a held heartbeat.
// They connect in a ramp that follows the server: at most BENCH_RUNNERS_CONNECT_WINDOW started and
// not yet waiting (optionally capped at BENCH_RUNNERS_CONNECT_RATE/s); the rate reached is a figure.
// Once all are connected, jobs are submitted here at 50/s (createRun's path) for the window; each
// runs BENCH_RUNNERS_JOB_SECONDS (20 s) of held heartbeats and completes with a result.
// Figures: the server's memory per connected runner (RSS and V8 heap after a full GC, all
// connected and idle, minus the same before any connected), claim latency p50/p99 (submit → the
// runner has parsed the claim), heartbeat statements per second, and the server's event-loop
// delay p99 over the window. The anchor of each is its goal (issue 23 §2), and the same bench run
// on the code before a change (a `git archive` copy with this bench copied in; docs/figures.md).
// Run with `npx tsx bench/runners-10k.ts` (BENCH_RUNNERS, BENCH_RUNNERS_SECONDS, BENCH_RUNNERS_RATE,
// BENCH_RUNNERS_PROCESSES; BENCH_HEAP=/tmp/x writes heap snapshots before and connected).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { hashSecret, newSecret } from '../src/server/accounts/secret.js';
import { startServer } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { createLogger } from '../src/server/logger.js';
import { cancelJob } from '../src/server/queue/cancel-job.js';
import { claimWaitersFor } from '../src/server/queue/claim-waiters.js';
import { queueExtension } from '../src/server/queue/extension.js';
import { createSpec, createTenant, submit } from '../test/queue/fixtures.js';
import { PoolTrace } from './_pool-trace.js';
import { type Figure, percentile, scratchDatabase } from './_shared.js';

const RUNNERS = Number(process.env.BENCH_RUNNERS ?? 10_000);
const WINDOW_SECONDS = Number(process.env.BENCH_RUNNERS_SECONDS ?? 60);
const RATE = Number(process.env.BENCH_RUNNERS_RATE ?? 50);
const JOB_SECONDS = Number(process.env.BENCH_RUNNERS_JOB_SECONDS ?? 20);
/** The runners' claimJob waitSeconds (the runner's own is 60). */
const WAIT_SECONDS = Number(process.env.BENCH_RUNNERS_WAIT ?? 60);
/** A cap on new long-polls per second while connecting; 0: only the window limits the ramp. */
const CONNECT_PER_SECOND = Number(process.env.BENCH_RUNNERS_CONNECT_RATE ?? 0);
/** Runners started but not yet waiting on the server, at most, while connecting. */
const CONNECT_WINDOW = Number(process.env.BENCH_RUNNERS_CONNECT_WINDOW ?? 200);
/** Client processes the runners are spread over. */
const PROCESSES = Number(process.env.BENCH_RUNNERS_PROCESSES ?? Math.max(1, Math.ceil(RUNNERS / 5000)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function memory(): { rss: number; heap: number } {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers };
}

async function waitUntil(
  what: () => string,
  ok: () => boolean,
  timeoutMs: number,
  everyMs = 200,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  let said = Date.now();
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what()}`);
    if (Date.now() - said > 15_000) {
      said = Date.now();
      console.error(`waiting for ${what()}`);
    }
    await sleep(everyMs);
  }
}

export async function run(): Promise<Figure[]> {
  const scratch = await scratchDatabase('benchline_bench_runners');
  const dir = mkdtempSync(join(tmpdir(), 'benchline-runners-'));
  const setup = createDatabase({ url: scratch.url, max: 2 });
  await migrateToLatest(setup);
  const specId = await createSpec(setup, 'bench', true);
  // Registered in bulk (createRunner's rows: the runner and its spec), not 10,000 admin calls.
  const keys = Array.from({ length: RUNNERS }, () => newSecret('runner'));
  for (let i = 0; i < RUNNERS; i += 1000) {
    const rows = await setup
      .insertInto('runner')
      .values(
        keys.slice(i, i + 1000).map((key, j) => ({
          name: `bench ${i + j}`,
          slug: `bench-${i + j}`,
          key_hash: hashSecret(key),
        })),
      )
      .returning('id')
      .execute();
    await setup
      .insertInto('runner_spec')
      .values(rows.map((r) => ({ runner_id: r.id, spec_id: specId })))
      .execute();
  }
  await setup.destroy();
  const keysFile = join(dir, 'keys');
  writeFileSync(keysFile, keys.join('\n'));

  const trace = new PoolTrace();
  let heartbeatStatements = 0;
  const statementKinds = new Map<string, number>();
  let counting = false;
  const server = await startServer({
    config: loadConfig({ PORT: '0', DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' }),
    log: createLogger('silent'),
    extensions: [queueExtension()],
    onQuery: (text) => {
      trace.statement(text);
      if (counting && text.includes('job_lease')) heartbeatStatements++;
      if (process.env.BENCH_DEBUG) {
        const key = text.replace(/\s+/g, ' ').slice(0, 90);
        statementKinds.set(key, (statementKinds.get(key) ?? 0) + 1);
      }
    },
  });
  const { db } = server.deps;
  const tenant = await createTenant(db, 'ENTERPRISE');
  await db.updateTable('testbed').set({ spec_id: specId }).where('id', '=', tenant.testbedId).execute();
  const waiters = claimWaitersFor(server.deps.events);
  // Runners keep their connection: more connections than runners means the server or the
  // client closed some; clientError says which of the server's reasons it was.
  let connections = 0;
  const clientErrors = new Map<string, number>();
  server.http.server.on('connection', () => connections++);
  // Only with BENCH_DEBUG: a listener replaces node's own answer (400/408, then close) with a close.
  if (process.env.BENCH_DEBUG) {
    server.http.server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      const code = error.code ?? error.message;
      clientErrors.set(code, (clientErrors.get(code) ?? 0) + 1);
      socket.destroy();
    });
  }
  // Warm the paths a runner's calls take, so the baseline is not missing code and caches.
  const warm = await submit(server, tenant, { cmd: null, env: { SUBMITTED_AT: '0' }, sourceIp: '127.0.0.1' });
  // Canceled, so that no runner spends the ramp on it (the ramp counts runners waiting).
  await cancelJob(db, { jobId: warm.id, now: new Date() });
  await sleep(1000);
  const before = memory();
  // BENCH_HEAP=/tmp/x: snapshots before any runner and with all connected, for a diff by constructor.
  if (process.env.BENCH_HEAP) writeHeapSnapshot(`${process.env.BENCH_HEAP}-before.heapsnapshot`);

  // Several client processes: one event loop parsing 10,000 runners' answers was itself a limit.
  const children = Array.from({ length: PROCESSES }, () =>
    fork(fileURLToPath(new URL('./_runners-clients.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const state = children.map(() => ({ started: 0, polling: 0, errors: 0 }));
  let lastError = '';
  const latencies: number[] = [];
  let collecting = false;
  const sum = (key: 'started' | 'polling' | 'errors') => state.reduce((n, s) => n + s[key], 0);
  const ready = children.map(
    (child, i) =>
      new Promise<void>((resolve) => {
        child.on(
          'message',
          (m: {
            ready?: true;
            clients?: number;
            started?: number;
            polling?: number;
            errors?: number;
            lastError?: string;
            latencies?: number[];
          }) => {
            const s = state[i] as (typeof state)[number];
            if (m.clients !== undefined) resolve();
            if (m.started !== undefined) s.started = m.started;
            if (m.polling !== undefined) s.polling = m.polling;
            if (m.errors !== undefined) s.errors = m.errors;
            if (m.lastError) lastError = m.lastError;
            if (collecting && m.latencies) latencies.push(...m.latencies);
          },
        );
      }),
  );
  try {
    await Promise.all(
      children.map((child) => new Promise<void>((resolve) => child.once('message', () => resolve()))),
    );
    const share = Math.ceil(RUNNERS / PROCESSES);
    children.forEach((child, i) => {
      child.send({
        start: {
          serverUrl: server.url,
          keysFile,
          from: i * share,
          to: Math.min(RUNNERS, (i + 1) * share),
          jobSeconds: JOB_SECONDS,
          waitSeconds: WAIT_SECONDS,
        },
      });
    });
    await Promise.all(ready);
    // The ramp: new runners are started while fewer than CONNECT_WINDOW of those started have a
    // registered long-poll (and, with a rate set, no faster than it): it follows what the server
    // accepts instead of queueing thousands of connections it cannot take yet.
    const connectStart = Date.now();
    let asked = 0;
    let peak = 0;
    let lastCount = 0;
    let lastAt = Date.now();
    const askedOf = children.map(() => 0);
    const shareOf = (i: number) => Math.max(0, Math.min(RUNNERS, (i + 1) * share) - i * share);
    let nextChild = 0;
    await waitUntil(
      () =>
        `${RUNNERS} long-polls (${waiters.size} waiting, ${sum('started')} started, ${sum('polling')} sent; client errors ${sum('errors')}: ${lastError})`,
      () => {
        const outstanding = asked - waiters.size;
        const byRate =
          CONNECT_PER_SECOND > 0
            ? Math.floor(((Date.now() - connectStart) / 1000) * CONNECT_PER_SECOND) - asked
            : Number.POSITIVE_INFINITY;
        let more = Math.min(RUNNERS - asked, CONNECT_WINDOW - outstanding, byRate);
        // Round robin over the processes, each up to its share of the keys.
        for (let i = nextChild; more > 0; i = (i + 1) % PROCESSES) {
          const n = Math.min(more, 10, shareOf(i) - (askedOf[i] ?? 0));
          if (n > 0) {
            (children[i] as (typeof children)[number]).send({ connect: n });
            askedOf[i] = (askedOf[i] ?? 0) + n;
            asked += n;
            more -= n;
          }
          nextChild = (i + 1) % PROCESSES;
        }
        if (Date.now() - lastAt >= 1000) {
          peak = Math.max(peak, ((waiters.size - lastCount) * 1000) / (Date.now() - lastAt));
          lastCount = waiters.size;
          lastAt = Date.now();
        }
        // All started, and all but a few waiting: with a ramp near a minute long, the first
        // runners' long-polls end and are renewed while the last ones connect.
        return asked === RUNNERS && waiters.size >= RUNNERS * 0.998;
      },
      RUNNERS * 20 + 60_000,
      20,
    );
    const connectSeconds = (Date.now() - connectStart) / 1000;
    await sleep(2000);
    const connected = memory();
    if (process.env.BENCH_HEAP) writeHeapSnapshot(`${process.env.BENCH_HEAP}-connected.heapsnapshot`);
    const idleWaiters = waiters.size;

    const eld = monitorEventLoopDelay({ resolution: 10 });
    eld.enable();
    trace.start();
    collecting = true;
    counting = true;
    const windowStart = performance.now();
    const submits: Array<Promise<unknown>> = [];
    const submitTimes: number[] = [];
    let handed = 0;
    let submitted = 0;
    while (performance.now() - windowStart < WINDOW_SECONDS * 1000) {
      const due = Math.floor(((performance.now() - windowStart) / 1000) * RATE);
      while (submitted < due) {
        submitted++;
        const at = performance.timeOrigin + performance.now();
        const t = performance.now();
        submits.push(
          trace
            .asSubmit(() =>
              submit(server, tenant, {
                cmd: null,
                env: { SUBMITTED_AT: String(at) },
                sourceIp: '127.0.0.1',
              }),
            )
            .then((job) => {
              // The createRun transaction's share of a claim's latency, and whether it handed the job over.
              submitTimes.push(performance.now() - t);
              trace.submitted(performance.now() - t);
              if (job.status === 'CLAIMED') handed++;
            }),
        );
      }
      await sleep(5);
    }
    const windowSeconds = (performance.now() - windowStart) / 1000;
    counting = false;
    await Promise.all(submits);
    eld.disable();
    trace.stop();
    console.error(trace.series());
    const submitAcquire = (trace.acquireMs.get('submit') ?? []).sort((a, b) => a - b);
    // Sorted when printed: acquisitions queued in the window go on landing after it.
    const others = () =>
      [...trace.acquireMs]
        .filter(([tag]) => tag !== 'submit')
        .map(([tag, list]) => [tag, [...list].sort((a, b) => a - b)] as const);
    // The last jobs' claims arrive within a report or two.
    await sleep(1500);
    collecting = false;
    const eldP99 = eld.percentile(99) / 1e6;
    if (process.env.BENCH_DEBUG) {
      for (const [k, n] of [...statementKinds].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.error(n, k);
    }
    latencies.sort((a, b) => a - b);
    const perRunner = (bytes: number) => bytes / RUNNERS / 1024;
    const goal = (name: string, value: number, unit: string, target: number, goalText: string): Figure => ({
      name,
      value,
      unit,
      goal: goalText,
      anchor: target,
      anchorName: 'the goal (issue 23 §2)',
      ratio: value / target,
    });
    const note = `${RUNNERS} runners (${idleWaiters} long-polls), ${RATE} jobs/s for ${windowSeconds.toFixed(0)} s, ${JOB_SECONDS} s jobs`;
    return [
      {
        name: `connect rate (${RUNNERS} runners in ${connectSeconds.toFixed(1)} s, ${PROCESSES} client processes, window ${CONNECT_WINDOW}; peak 1 s ${peak.toFixed(0)}/s)`,
        value: RUNNERS / connectSeconds,
        unit: 'long-polls/s',
        goal: 'report',
      },
      goal(
        `server RSS per connected runner, ${note}`,
        perRunner(connected.rss - before.rss),
        'KiB',
        20,
        '≤ 20 KiB',
      ),
      {
        name: 'server V8 heap + external per connected runner',
        value: perRunner(connected.heap - before.heap),
        unit: 'KiB',
        goal: 'report',
      },
      goal(
        `claim latency p50 (${latencies.length} of ${submitted} jobs)`,
        percentile(latencies, 50),
        'ms',
        25,
        'report',
      ),
      goal('claim latency p99', percentile(latencies, 99), 'ms', 25, '≤ 25 ms'),
      {
        name: `of which submit (createRun's transaction) p50 / p99 ${percentile(
          submitTimes.sort((a, b) => a - b),
          50,
        ).toFixed(1)} ms /; handed over at creation ${handed} of ${submitted}`,
        value: percentile(submitTimes, 99),
        unit: 'ms',
        goal: 'report',
      },
      {
        name: `of which waiting for a pool connection (${submitAcquire.length} acquisitions by submits) p50 ${percentile(
          submitAcquire,
          50,
        ).toFixed(2)} ms / p99`,
        value: percentile(submitAcquire, 99),
        unit: 'ms',
        goal: 'report',
      },
      ...others().map(
        ([tag, list]): Figure => ({
          name: `pool connection wait of everything else, ${tag} (${list.length} acquisitions, ${(
            list.length / windowSeconds
          ).toFixed(0)}/s) p50 ${percentile(list, 50).toFixed(2)} ms / p99`,
          value: percentile(list, 99),
          unit: 'ms',
          goal: 'report',
        }),
      ),
      {
        name: 'claim candidate statements/s (every long-poll attempt runs one)',
        value: trace.seconds.reduce((n, s) => n + s.claims, 0) / Math.max(1, trace.seconds.length),
        unit: '/s',
        goal: 'report',
      },
      {
        name: `heartbeat statements/s (${JOB_SECONDS} s jobs, ~${Math.round(RATE * JOB_SECONDS)} running)`,
        value: heartbeatStatements / windowSeconds,
        unit: '/s',
        goal: 'report',
      },
      goal('server event-loop delay p99', eldP99, 'ms', 20, '≤ 20 ms'),
      {
        name: `server: TCP connections accepted (runners ${RUNNERS}); clientError ${
          [...clientErrors].map(([code, n]) => `${code} ×${n}`).join(', ') || 'none'
        }`,
        value: connections,
        unit: '',
        goal: `${RUNNERS}`,
      },
      {
        name: `runner call errors (client side)${lastError ? `; last: ${lastError.slice(0, 160)}` : ''}`,
        value: sum('errors'),
        unit: '',
        goal: '0',
      },
    ];
  } finally {
    for (const child of children) {
      child.send({ stop: true });
      child.kill('SIGKILL');
    }
    await server.stop();
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run()) {
    const anchor =
      f.anchor !== undefined
        ? `  | ${f.anchorName}: ${f.anchor} ${f.unit}  | ratio ${f.ratio?.toFixed(2)}`
        : '';
    console.log(`${f.name}: ${f.value.toFixed(2)} ${f.unit}${anchor}  | goal ${f.goal}`);
  }
  process.exit(0);
}
