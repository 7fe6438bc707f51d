// Heartbeats at scale (issue 22 §4): the statements per second that 1,000 running jobs' heartbeats
// cost one server. Each job beats the way the runner does (src/runner/heartbeats.ts): one
// `heartbeatJob` held open for 10 s, then the next, over the runner's own RunnerClient. Measured
// twice in the same run on the same database and jobs: the anchor with every beat its own statement
// (BENCHLINE_HEARTBEAT_FLUSH_MS=0, the path before batching), then batched (the default, one
// statement per second for every beat the server acknowledged). Counted at the request pool
// (`onQuery`) once every job has beaten once, so each job's first beat — written at once in both —
// is not in the window. Run with `npx tsx bench/heartbeats.ts` (BENCH_HEARTBEAT_JOBS, BENCH_HEARTBEAT_SECONDS).
import { setMaxListeners } from 'node:events';
import { pathToFileURL } from 'node:url';
import { RunnerClient } from '../src/runner/client.js';
import { startServer } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { createLogger } from '../src/server/logger.js';
import { queueExtension } from '../src/server/queue/extension.js';
import { createRunner } from '../src/server/runners/runners.js';
import { createSpec, createTenant, insertPendingJobs } from '../test/queue/fixtures.js';
import { type Figure, percentile, scratchDatabase } from './_shared.js';

const JOBS = Number(process.env.BENCH_HEARTBEAT_JOBS ?? 1000);
const RUNNERS = Math.max(1, Math.ceil(JOBS / 20));
const WAIT_SECONDS = 10;
const WINDOW_MS = Number(process.env.BENCH_HEARTBEAT_SECONDS ?? 20) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Phase {
  statementsPerSecond: number;
  heartbeatStatementsPerSecond: number;
  beatsPerSecond: number;
  /** How long a held beat took beyond its 10 s wait, median: the beat's own cost under this load. */
  beatOverheadMsP50: number;
}

async function phase(url: string, flushMs: number, keys: string[], jobsByRunner: string[][]): Promise<Phase> {
  let statements = 0;
  let heartbeatStatements = 0;
  let counting = false;
  const server = await startServer({
    config: loadConfig({
      PORT: '0',
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      BENCHLINE_HEARTBEAT_FLUSH_MS: String(flushMs),
    }),
    log: createLogger('silent'),
    extensions: [queueExtension({ sweeperTimer: false })],
    onQuery: (text) => {
      if (!counting) return;
      statements++;
      if (text.includes('job_lease')) heartbeatStatements++;
    },
  });
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  let beats = 0;
  /** Jobs that had their first beat on this server: only then is the steady state measured. */
  const beaten = new Set<string>();
  const durations: number[] = [];
  const clients = keys.map((key) => new RunnerClient({ serverUrl: server.url, key }));
  const loops = clients.flatMap((client, i) =>
    (jobsByRunner[i] ?? []).map(async (jobId, j) => {
      // Spread the jobs' first beats over the wait, as jobs started at different times would be.
      await sleep(((i * 20 + j) / JOBS) * WAIT_SECONDS * 1000);
      while (!stop.signal.aborted) {
        try {
          const t0 = performance.now();
          await client.heartbeatJob(jobId, {
            waitSeconds: WAIT_SECONDS,
            attempts: 1,
            signal: stop.signal,
            timeoutMs: 30_000,
          });
          beaten.add(jobId);
          if (counting) beats++;
          if (counting) durations.push(performance.now() - t0 - WAIT_SECONDS * 1000);
        } catch (error) {
          if (process.env.BENCH_DEBUG) console.error(String(error));
          if (!stop.signal.aborted) await sleep(500);
        }
      }
    }),
  );
  // On a loaded machine a held beat can take much longer than its wait: wait for every job's
  // first beat (written at once in both modes), then one flush more.
  while (beaten.size < JOBS) await sleep(200);
  await sleep(1500);
  counting = true;
  const started = performance.now();
  await sleep(WINDOW_MS);
  counting = false;
  const seconds = (performance.now() - started) / 1000;
  stop.abort();
  await Promise.allSettled(loops);
  await Promise.all(clients.map((c) => c.close()));
  await server.stop();
  durations.sort((a, b) => a - b);
  return {
    statementsPerSecond: statements / seconds,
    heartbeatStatementsPerSecond: heartbeatStatements / seconds,
    beatsPerSecond: beats / seconds,
    beatOverheadMsP50: percentile(durations, 50),
  };
}

export async function run(): Promise<Figure[]> {
  const scratch = await scratchDatabase('benchline_bench_heartbeats');
  try {
    const db = createDatabase({ url: scratch.url, max: 2 });
    await migrateToLatest(db);
    const specId = await createSpec(db, 'bench', true);
    const tenant = await createTenant(db, 'ENTERPRISE');
    const ids = await insertPendingJobs(db, tenant, specId, JOBS, { priority: 300 });
    const keys: string[] = [];
    const jobsByRunner: string[][] = [];
    for (let i = 0; i < RUNNERS; i++) {
      const runner = await createRunner(db, { name: `bench ${i}`, specs: ['bench'] });
      keys.push(runner.key);
      const mine = ids.slice(i * 20, i * 20 + 20);
      jobsByRunner.push(mine);
      // Claimed and started as a claim and a start would (the lease comes with the claim).
      await db
        .updateTable('job')
        .set({
          status: 'RUNNING',
          runner_id: runner.runner.id,
          claimed_at: new Date(),
          started_at: new Date(),
          last_heartbeat_at: new Date(),
          timeout_seconds: 3600,
        })
        .where('id', 'in', mine)
        .execute();
    }
    await db.destroy();
    const old = await phase(scratch.url, 0, keys, jobsByRunner);
    const batched = await phase(scratch.url, 1000, keys, jobsByRunner);
    const anchorName = `every beat its own statement (BENCHLINE_HEARTBEAT_FLUSH_MS=0), same run`;
    const figure = (name: string, unit: string, goal: string, ours: number, anchor: number): Figure => ({
      name,
      value: ours,
      unit,
      goal,
      anchor,
      anchorName,
      ratio: anchor > 0 ? ours / anchor : Number.NaN,
    });
    return [
      figure(
        `heartbeat statements/s, ${JOBS} running jobs (${old.beatsPerSecond.toFixed(0)} / ${batched.beatsPerSecond.toFixed(0)} beats/s)`,
        '/s',
        '1 per flush interval (≤ 1/s)',
        batched.heartbeatStatementsPerSecond,
        old.heartbeatStatementsPerSecond,
      ),
      figure(
        `request-pool statements/s, ${JOBS} running jobs (beats + key lookups)`,
        '/s',
        'report',
        batched.statementsPerSecond,
        old.statementsPerSecond,
      ),
      figure(
        `held beat's time beyond its ${WAIT_SECONDS} s wait, p50`,
        'ms',
        'report',
        batched.beatOverheadMsP50,
        old.beatOverheadMsP50,
      ),
    ];
  } finally {
    await scratch.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run()) {
    console.log(
      `${f.name}: ${f.value.toFixed(2)} ${f.unit}  | ${f.anchorName}: ${f.anchor?.toFixed(2)} ${f.unit}  | ratio ${f.ratio?.toFixed(3)}  | goal ${f.goal}`,
    );
  }
  process.exit(0);
}
