// Complete job lifecycles per second through the real API: createJob (as createRun does) → claimJob
// long-poll, which starts the job → appendJobLogs (3 chunks) + completeJob with a BMF result, in one request as
// the runner sends a short job's last log batch → PROCESSED, with
// 8 runners' own RunnerClients (src/runner/client.ts: the runner's documents, transport and error
// handling) over HTTP against one server. No heartbeat: a runner's first one goes out 0.5 s after
// the claim (src/runner/heartbeats.ts), and these jobs end sooner. Run with `npx tsx bench/lifecycle.ts`;
// it needs a PostgreSQL server (BENCH_DATABASE_URL or TEST_DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/postgres): a scratch database is created and dropped.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { RunnerClient } from '../src/runner/client.js';
import type { Database } from '../src/server/db/database.js';
import { type CpuSplit, startCpuMeter } from './_cpu-meter.js';
import { startQueueBench } from './_queue-setup.js';
import { startServerProcesses } from './_server-processes.js';
import type { Figure } from './_shared.js';

const RUNNERS = 8;
/**
 * The submitters keep the queue fed; how fast they are against the runners sets the path mix: a job
 * created while a runner's long-poll waits is handed to it (createJob's statement claims it), one
 * created behind PENDING jobs is claimed by a statement of its own, which costs PostgreSQL more.
 * A change that speeds up submitting shifts that mix, so compare runs at the same hand-off share
 * (printed), or with one submitter, where nearly every job is handed off.
 */
const SUBMITTERS = Number(process.env.BENCH_LIFECYCLE_SUBMITTERS ?? 2);
/**
 * Servers the runners spread over: this process's, plus `benchline server` processes on the same
 * database. One server's event loop bounds the rate at about 1000 / (its CPU ms per lifecycle);
 * on a machine with cores to spare, more servers lift that bound, as they would in a deployment.
 */
const SERVERS = Number(process.env.BENCH_LIFECYCLE_SERVERS ?? 1);
/**
 * A server in service is warm; this one starts cold. V8 keeps tiering the request path up for the
 * first ~15–30 s under this load (measured in 3 s steps: 96 → 121 → 133 → 142/s), so a short
 * warm-up measured mostly baseline-compiled code.
 */
const WARMUP_MS = Number(process.env.BENCH_LIFECYCLE_WARMUP_MS ?? 15_000);
const MEASURE_MS = Number(process.env.BENCH_LIFECYCLE_MS ?? 10_000);
/**
 * BENCH_RUNNER_DOCUMENTS=1: the runners send their documents as text, as before persisted
 * operations, so the server runs them through yoga (parse and validation cached) instead of
 * answering them directly by id: the request path's anchor, measurable in the same session.
 */
const DOCUMENTS = process.env.BENCH_RUNNER_DOCUMENTS === '1';
/** Submitters keep about this many jobs queued, so runners never starve and the queue stays short. */
const QUEUED = 32;

const line = (text: string) => Buffer.from(`${text}\n`);
/** A runner retries a failing call until it goes through; a bench fails instead of waiting on a broken server. */
const call = { attempts: 3 };

export async function run(): Promise<Figure[]> {
  const bench = await startQueueBench(RUNNERS);
  const more = await startServerProcesses(SERVERS - 1, bench.databaseUrl).catch(async (error) => {
    await bench.stop();
    throw error;
  });
  const urls = [bench.server.url, ...more.urls];
  let stopping = false;
  let submitted = 0;
  let processed = 0;
  let measuredFrom = 0;
  let measuredCount = 0;
  const clients = bench.runnerKeys.map(
    (key, i) =>
      new RunnerClient({ serverUrl: urls[i % urls.length] as string, key, persistedOperations: !DOCUMENTS }),
  );
  try {
    const submitters = Array.from({ length: SUBMITTERS }, async () => {
      while (!stopping) {
        if (submitted - processed >= QUEUED) {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        submitted++;
        await bench.submit();
      }
    });
    const runners = clients.map(async (runner) => {
      while (!stopping) {
        // As the runner does (src/runner/main.ts): the claim starts the job, no startJob request.
        const job = await runner.claimJob(undefined, 2, { ...call, start: true });
        if (!job) continue;
        if (!job.started) throw new Error('the claim did not start the job');
        // A job this short has all its output in the last log batch, which travels with the
        // completion (src/runner/job-runner.ts: LogShipper.closeKeepingLast).
        const logs = [0, 1, 2].map((seq) => ({
          stream: 'STDOUT' as const,
          seq,
          data: line(`running step ${seq}`),
        }));
        const stdout = JSON.stringify({ 'bench-a': { latency: { value: 100 + Math.random() } } });
        const done = await runner.completeJob(job.id, 0, [{ iteration: 0, exitCode: 0, stdout, files: {} }], {
          ...call,
          logs,
        });
        if (done.status !== 'PROCESSED') throw new Error(`job ended ${done.status}`);
        processed++;
        if (measuredFrom) measuredCount++;
      }
    });
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const meter = await startCpuMeter(bench.db, more.pids);
    measuredFrom = performance.now();
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    const elapsed = performance.now() - measuredFrom;
    const count = measuredCount;
    const cpu = await meter.stop();
    const handedOff = await handOffShare(bench.db);
    const rate = count / (elapsed / 1000);
    stopping = true;
    await Promise.all([...submitters, ...runners]);
    return [
      {
        name: `complete lifecycles/s (${RUNNERS} runners, ${SERVERS} server${SERVERS > 1 ? 's' : ''}, ${count} jobs, runner documents ${DOCUMENTS ? 'as text' : 'by id'})`,
        value: rate,
        unit: 'jobs/s',
        goal: '≥ 300 jobs/s',
      },
      ...cpuFigures(cpu, count),
      {
        name: `  jobs handed to a waiting claimer at creation (${SUBMITTERS} submitter${SUBMITTERS > 1 ? 's' : ''})`,
        value: handedOff * 100,
        unit: '%',
        goal: '',
      },
    ];
  } finally {
    stopping = true;
    await Promise.all(clients.map((client) => client.close()));
    await more.stop();
    await bench.stop();
  }
}

/** Share of the jobs so far that createJob handed to a waiting claimer: claimed as they were created. */
async function handOffShare(db: Database): Promise<number> {
  const { rows } = await sql<{ handed: number; jobs: number }>`
    SELECT count(*) FILTER (WHERE claimed_at = created_at)::int AS handed, count(*)::int AS jobs FROM job`.execute(
    db,
  );
  return (rows[0]?.handed ?? 0) / Math.max(1, rows[0]?.jobs ?? 0);
}

const GOAL_PER_SECOND = 300;

/**
 * The rate's cost: this machine runs the server, the clients and PostgreSQL on its own cores, so
 * CPU per lifecycle bounds the rate at cores / cost whatever the code waits on.
 */
function cpuFigures(cpu: CpuSplit, count: number): Figure[] {
  const perJob = (ms: number) => ms / Math.max(1, count);
  const budget = (cpu.cores * 1000) / GOAL_PER_SECOND;
  const figures: Figure[] = [
    {
      name: `  Node CPU per lifecycle (server, runner clients, submitters; machine ${(cpu.machineBusy * 100).toFixed(0)} % busy)`,
      value: perJob(cpu.nodeMs),
      unit: 'ms',
      goal: '',
    },
  ];
  if (cpu.postgresMs === null) return figures;
  const total = perJob(cpu.nodeMs + cpu.postgresMs);
  figures.push(
    {
      name: '  PostgreSQL CPU per lifecycle (its backends)',
      value: perJob(cpu.postgresMs),
      unit: 'ms',
      goal: '',
    },
    {
      name: `  Node + PostgreSQL CPU per lifecycle (${GOAL_PER_SECOND}/s on ${cpu.cores} cores needs ≤ ${budget.toFixed(1)} ms)`,
      value: total,
      unit: 'ms',
      goal: `≤ ${budget.toFixed(1)} ms`,
    },
    {
      name: `  ceiling at that cost on ${cpu.cores} cores (cores ÷ CPU per lifecycle)`,
      value: (cpu.cores * 1000) / total,
      unit: 'jobs/s',
      goal: '',
    },
  );
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run()) console.log(`${f.name}: ${f.value.toFixed(1)} ${f.unit}  | goal ${f.goal}`);
  process.exit(0);
}
