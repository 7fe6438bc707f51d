// Claim latency with a long queue: 100,000 PENDING jobs ahead, against the same server with a short
// queue in the same run. A claim reads the queue in claim order from an index and stops at the first
// eligible job, so the queue's length should not show; before migration 0011 a runner serving
// several specs sorted the whole queue on every claim. Also: a claim that finds nothing because the
// whole queue waits on one organization's tier limit, which a claim steps over key by key (222 ms
// when it read the backlog job by job). Run with `npx tsx bench/claim-long-queue.ts`.

import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { RunnerClient } from '../src/runner/client.js';
import { TIER_PRIORITY } from '../src/server/queue/tier.js';
import { createRunner } from '../src/server/runners/runners.js';
import { createSpec } from '../test/queue/fixtures.js';
import { type QueueBench, startQueueBench } from './_queue-setup.js';
import { type Figure, percentile } from './_shared.js';

const QUEUED = Number(process.env.BENCH_LONG_QUEUE ?? 100_000);
const CLAIMS = 300;

export async function run(): Promise<Figure[]> {
  const bench = await startQueueBench(0);
  try {
    // A runner of two specs: the order across specs is the case an index on spec first cannot serve.
    await createSpec(bench.db, 'bench-other');
    const { key } = await createRunner(bench.db, { name: 'long queue', specs: ['bench', 'bench-other'] });
    const runner = new RunnerClient({ serverUrl: bench.server.url, key });
    const claims = async (submitEach: boolean) => {
      const times: number[] = [];
      for (let i = 0; i < CLAIMS; i++) {
        if (submitEach) await bench.submit();
        const started = performance.now();
        if (!(await runner.claimJob(undefined, 1, { attempts: 1 }))) throw new Error('no job to claim');
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b);
    };
    try {
      await claims(true); // warm-up
      const short = await claims(true);
      process.stderr.write(`claim-long-queue: queueing ${QUEUED} jobs…\n`);
      const template = await bench.submit();
      await sql`
        WITH r AS (
          INSERT INTO report (project_id, branch_id, testbed_id, spec_id, adapter, start_time)
          SELECT project_id, branch_id, testbed_id, spec_id, adapter, start_time
          FROM report, generate_series(1, ${QUEUED})
          WHERE id = (SELECT report_id FROM job WHERE id = ${template})
          RETURNING id
        )
        INSERT INTO job (report_id, organization_id, project_id, spec_id, priority, config, timeout_seconds,
          source_ip, created_at)
        SELECT r.id, j.organization_id, j.project_id, j.spec_id, j.priority, j.config, j.timeout_seconds,
          j.source_ip, j.created_at + random() * interval '1 hour'
        FROM r, job j WHERE j.id = ${template}`.execute(bench.db);
      await sql`ANALYZE job`.execute(bench.db);
      const long = await claims(false);
      const figure = (p: number): Figure => {
        const value = percentile(long, p);
        const anchor = percentile(short, p);
        return {
          name: `claim p${p} with ${QUEUED.toLocaleString('en')} jobs queued (runner of 2 specs)`,
          value,
          unit: 'ms',
          goal: 'ratio ≤ 1.5',
          anchor,
          anchorName: 'same, short queue',
          ratio: value / anchor,
        };
      };
      return [figure(50), figure(99), await blockedQueue(bench, runner)];
    } finally {
      await runner.close();
    }
  } finally {
    await bench.stop();
  }
}

const BLOCKED_CLAIMS = 20;

/**
 * Every queued job belongs to one FREE organization already at its limit: a claim must find
 * nothing without reading the backlog job by job (docs/queue.md, "Long queues").
 */
async function blockedQueue(bench: QueueBench, runner: RunnerClient): Promise<Figure> {
  // Those claimed above may have been failed by the sweeper by now (never started); one claimed and
  // started here holds the organization, as FREE, at its limit of one for the next few seconds.
  await sql`UPDATE job SET priority = ${TIER_PRIORITY.FREE} WHERE status = 'PENDING'`.execute(bench.db);
  // What autovacuum does soon after a change of 100,000 rows, done now: the index entries of the
  // rows' old versions would otherwise be stepped over one by one until it runs.
  await sql`VACUUM ANALYZE job`.execute(bench.db);
  await sql`UPDATE job SET status = 'FAILED', failure_reason = 'RUNNER_ERROR' WHERE status IN ('CLAIMED', 'RUNNING')`.execute(
    bench.db,
  );
  const held = await runner.claimJob(undefined, 0, { attempts: 1 });
  if (!held) throw new Error('no job to claim');
  await runner.startJob(held.id, { attempts: 1 });
  const times: number[] = [];
  for (let i = 0; i < BLOCKED_CLAIMS; i++) {
    const started = performance.now();
    if (await runner.claimJob(undefined, 0, { attempts: 1 })) throw new Error('claimed past a FREE limit');
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    name: `claim finding nothing: ${QUEUED.toLocaleString('en')} jobs queued, one FREE organization's, at its limit (p50)`,
    value: percentile(times, 50),
    unit: 'ms',
    goal: '≤ 20 ms',
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run()) {
    const anchor =
      f.anchor === undefined
        ? ''
        : ` | ${f.anchorName} ${f.anchor.toFixed(2)} | ratio ${f.ratio?.toFixed(2)}`;
    console.log(`${f.name}: ${f.value.toFixed(2)} ${f.unit}${anchor} | goal ${f.goal}`);
  }
  process.exit(0);
}
