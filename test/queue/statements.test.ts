import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CLAIM_JOB, COMPLETE_JOB_WITH_LOGS } from '../../src/runner/operations.js';
import type { BusEvent } from '../../src/server/events/bus.js';
import { claimWaitersFor } from '../../src/server/queue/claim-waiters.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { tapEvents } from '../helpers/event-tap.js';
import { startTestServer } from '../helpers/server.js';
import { bmf, createRunner, createSpec, createTenant, runnerApi, submit } from './fixtures.js';

// Round trips and commits are what a job's lifecycle costs on a small machine: this pins the
// statements each runner call issues, so a regression shows up here rather than in a benchmark.
const statements: string[] = [];
const server = await startTestServer({
  extensions: [queueExtension({ sweeperTimer: false })],
  onQuery: (sql) => statements.push(sql.trim().toLowerCase()),
});
const { db } = server.database;
await createSpec(db, 'st-default', true);
const api = runnerApi((await createRunner(server, ['st-default'])).client);
const published: BusEvent[] = await tapEvents(server);
/** NOTIFY: statements send their own events at commit. Another bus (NATS): published after commit. */
const inStatement = Boolean(server.deps.events.sqlChannel);

async function counted(call: () => Promise<unknown>): Promise<string[]> {
  statements.length = 0;
  await call();
  return [...statements];
}

describe('statements per lifecycle', () => {
  it('issues one statement per start, append and heartbeat, and one commit for complete', async () => {
    const tenant = await createTenant(db, 'ENTERPRISE');
    const job = await submit(server, tenant);
    const claim = await counted(() => api.claim());
    // The runner's first call: its key's lookup and last-seen write, then its specs and the claim.
    expect(claim).toHaveLength(4);
    expect(await counted(() => api.start(job.id))).toHaveLength(1);
    expect(
      await counted(() =>
        api.append(
          job.id,
          [0, 1, 2].map((seq) => ({ seq, text: `l${seq}` })),
        ),
      ),
    ).toHaveLength(1);
    expect(await counted(() => api.heartbeat(job.id))).toHaveLength(1);
    // Steady state: the output's measure and benchmark exist (their first use adds the statement creating them).
    await db
      .insertInto('measure')
      .values({ project_id: tenant.projectId, name: 'Latency', slug: 'latency', units: 'ns' })
      .execute();
    await db
      .insertInto('benchmark')
      .values({ project_id: tenant.projectId, name: 'bench-a', slug: 'bench-a' })
      .execute();
    const complete = await counted(() =>
      api.complete(job.id, 0, [{ iteration: 0, exitCode: 0, stdout: bmf(1) }]),
    );
    // begin, complete (straight to PROCESSED), lock the report and read what processing needs,
    // insert the results, commit: no savepoint and no second update of the job unless processing fails.
    expect(complete).toHaveLength(5);
    expect(complete.filter((s) => s.includes('update job'))).toHaveLength(1);
    expect(complete.some((s) => s.includes('savepoint'))).toBe(false);
    expect(complete[2]).toContain('for update');
    expect(complete.filter((s) => s === 'commit')).toHaveLength(1);
    expect(complete.some((s) => s.includes('pg_notify'))).toBe(inStatement);
    // Events sent by the statements themselves still reach subscribers, each once.
    await new Promise((r) => setTimeout(r, 200));
    const statuses = published.flatMap((e) => (e.topic === 'job' && e.jobId === job.id ? [e.status] : []));
    // COMPLETED never existed outside the completion's transaction: no event says it did.
    expect(statuses).toEqual(['PENDING', 'CLAIMED', 'RUNNING', 'PROCESSED']);
    expect(published.filter((e) => e.topic === 'logs' && e.jobId === job.id)).toEqual([
      { topic: 'logs', jobId: job.id, fromSeq: 0, toSeq: 2 },
    ]);
  });

  it('starts the job with the claim when asked, and takes the probe and the last logs with the completion', async () => {
    const tenant = await createTenant(db, 'ENTERPRISE');
    const job = await submit(server, tenant);
    const { id: runnerId, client } = await createRunner(server, ['st-default']);
    await client.data('{ __typename }');
    const claim = await counted(() => client.data(CLAIM_JOB, { waitSeconds: 0, start: true }));
    // The runner's specs, then the one claiming statement, which starts and bills the job too.
    expect(claim).toHaveLength(2);
    expect(claim[1]).toContain('insert into usage');
    expect(claim.filter((s) => s.includes('update job'))).toHaveLength(1);
    expect(claim.some((s) => s.includes('select 1 from "started"'))).toBe(false);
    const row = await db.selectFrom('job').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'RUNNING', runner_id: runnerId });
    expect(row.started_at).toEqual(row.claimed_at);
    const usage = await db
      .selectFrom('usage')
      .selectAll()
      .where('job_id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(usage).toMatchObject({ minutes: 1, runner_id: runnerId });
    // A startJob after it (an older runner's habit) is answered as a repeat, without a write.
    const start = await counted(() => runnerApi(client).start(job.id));
    expect(start.filter((s) => s.includes('update job'))).toHaveLength(1);
    expect((await runnerApi(client).start(job.id)).data.startJob.status).toBe('RUNNING');

    await db
      .insertInto('measure')
      .values({ project_id: tenant.projectId, name: 'Latency', slug: 'latency', units: 'ns' })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await db
      .insertInto('benchmark')
      .values({ project_id: tenant.projectId, name: 'bench-a', slug: 'bench-a' })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const noise = { cvPct: 2.5, stealPct: 0.5, load: 1, probeMs: 250, truncated: false, tuning: ['smt'] };
    const chunks = [0, 1, 2].map((seq) => ({
      stream: 'STDOUT',
      seq,
      data: Buffer.from(`l${seq}\n`).toString('base64'),
    }));
    const complete = await counted(() =>
      client.data(COMPLETE_JOB_WITH_LOGS, {
        jobId: job.id,
        chunks,
        exitCode: 0,
        outputs: [{ iteration: 0, exitCode: 0, stdout: bmf(1), files: {} }],
        noise,
      }),
    );
    // One transaction: the completing statement (the batch's append, the probe, straight to
    // PROCESSED), the report's lock-and-read and the results' insert: one commit for all of it.
    expect(complete).toHaveLength(5);
    expect(complete[0]).toBe('begin');
    expect(complete[1]).toContain('insert into job_log_chunk');
    expect(complete[1]).toContain('"noise_cv_pct" = case when');
    expect(complete.filter((s) => s === 'commit')).toHaveLength(1);
    const done = await db.selectFrom('job').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(done).toMatchObject({
      status: 'PROCESSED',
      noise_cv_pct: 2.5,
      noise_steal_pct: 0.5,
      noise_probe_ms: 250,
      noise_truncated: false,
      noise_tuning: ['smt'],
    });
    const runner = await db
      .selectFrom('runner')
      .selectAll()
      .where('id', '=', runnerId)
      .executeTakeFirstOrThrow();
    expect(runner).toMatchObject({ noise_cv_pct: 2.5, noise_tuning: ['smt'] });
    const logs = await db.selectFrom('job_log_chunk').select('seq').where('job_id', '=', job.id).execute();
    expect(logs.map((l) => l.seq)).toEqual([0, 1, 2]);
    await new Promise((r) => setTimeout(r, 200));
    const statuses = published.flatMap((e) => (e.topic === 'job' && e.jobId === job.id ? [e.status] : []));
    expect(statuses).toEqual(['PENDING', 'RUNNING', 'PROCESSED']);
    // The batch's lines are announced before the job's end, so a follower that stops there has them.
    const mine = published.filter(
      (e) =>
        (e.topic === 'logs' && e.jobId === job.id) ||
        (e.topic === 'job' && e.jobId === job.id && e.status === 'PROCESSED'),
    );
    expect(mine).toEqual([
      { topic: 'logs', jobId: job.id, fromSeq: 0, toSeq: 2 },
      { topic: 'job', jobId: job.id, projectId: tenant.projectId, status: 'PROCESSED' },
    ]);
  });

  it('starts a job handed to a sleeping claimer that asked to start in its creating statement', async () => {
    await createSpec(db, 'st-handed');
    const tenant = await createTenant(db, 'ENTERPRISE');
    const { id: runnerId, client } = await createRunner(server, ['st-handed']);
    const waiters = claimWaitersFor(server.deps.events);
    const waiting = client.data(CLAIM_JOB, { waitSeconds: 20, start: true }) as Promise<{
      claimJob: { job: { id: string; status: string } };
    }>;
    for (let i = 0; i < 200 && waiters.sleeping < 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(waiters.sleeping).toBe(1);
    const before = published.length;
    let job: Awaited<ReturnType<typeof submit>> | undefined;
    const handed = await counted(async () => {
      job = await submit(server, tenant, {
        spec: 'st-handed',
        onReport: () => {
          statements.length = 0;
        },
      });
      expect((await waiting).claimJob.job).toMatchObject({ id: job.id, status: 'RUNNING' });
    });
    // createJob's statement (the job RUNNING for the claimer, its billing row, its event) and the
    // commit; the claimer's request answers without a statement (it used to start the job with one
    // more, and a commit): a lifecycle is the submit's 4, the completion's 5.
    expect(handed).toHaveLength(2);
    expect(handed[0]).toContain('insert into usage');
    expect(handed[1]).toBe('commit');
    expect(handed.some((s) => s.includes('update job'))).toBe(false);
    const row = await db.selectFrom('job').selectAll().where('id', '=', job!.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'RUNNING', runner_id: runnerId });
    expect(row.started_at).toEqual(row.created_at);
    const usage = await db
      .selectFrom('usage')
      .selectAll()
      .where('job_id', '=', job!.id)
      .executeTakeFirstOrThrow();
    expect(usage).toMatchObject({ minutes: 1, runner_id: runnerId, started_at: row.started_at });
    // As claimJob(start: true) announces it: one event, RUNNING, and no queue wake-up.
    await new Promise((r) => setTimeout(r, 200));
    expect(published.slice(before).filter((e) => e.topic !== 'job' || e.jobId === job!.id)).toEqual([
      { topic: 'job', jobId: job!.id, projectId: tenant.projectId, status: 'RUNNING' },
    ]);
    await db.updateTable('job').set({ status: 'CANCELED' }).where('id', '=', job!.id).execute();
  });

  it('takes a last batch that overlaps the stored log the careful way, in the same transaction', async () => {
    const tenant = await createTenant(db, 'ENTERPRISE');
    const job = await submit(server, tenant);
    const { client } = await createRunner(server, ['st-default']);
    await client.data(CLAIM_JOB, { waitSeconds: 0, start: true });
    const chunk = (seq: number) => ({
      stream: 'STDOUT',
      seq,
      data: Buffer.from(`l${seq}\n`).toString('base64'),
    });
    await runnerApi(client).append(
      job.id,
      [0, 1].map((seq) => ({ seq, text: `l${seq}` })),
    );
    // A resent chunk (1) with new ones: the completing statement leaves it alone, the append path skips 1.
    const complete = await counted(() =>
      client.data(COMPLETE_JOB_WITH_LOGS, {
        jobId: job.id,
        chunks: [1, 2, 3].map(chunk),
        exitCode: 0,
        outputs: [{ iteration: 0, exitCode: 0, stdout: bmf(1), files: {} }],
        noise: null,
      }),
    );
    expect(complete.filter((s) => s.includes('insert into job_log_chunk'))).toHaveLength(2);
    expect(complete.filter((s) => s === 'commit')).toHaveLength(1);
    const logs = await db.selectFrom('job_log_chunk').select('seq').where('job_id', '=', job.id).execute();
    expect(logs.map((l) => l.seq).sort()).toEqual([0, 1, 2, 3]);
    const done = await db
      .selectFrom('job')
      .select('status')
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(done.status).toBe('PROCESSED');
  });

  it('queues a job in one statement whose wake-up goes out at commit, with no publish after it', async () => {
    const tenant = await createTenant(db, 'ENTERPRISE');
    const before = published.length;
    let job: Awaited<ReturnType<typeof submit>> | undefined;
    const create = await counted(async () => {
      job = await submit(server, tenant, {
        onReport: () => {
          statements.length = 0;
        },
      });
    });
    // Spec, tier, job, its report's spec and both events in one statement, then the commit.
    expect(create).toHaveLength(2);
    expect(create[0]?.includes('pg_notify')).toBe(inStatement);
    expect(create[1]).toBe('commit');
    const report = await db
      .selectFrom('report')
      .select('spec_id')
      .where('id', '=', job!.report_id)
      .executeTakeFirstOrThrow();
    expect(report.spec_id).toBe(job!.spec_id);
    await new Promise((r) => setTimeout(r, 200));
    expect(published.slice(before)).toEqual([
      { topic: 'queue', specId: job!.spec_id },
      { topic: 'job', jobId: job!.id, projectId: tenant.projectId, status: 'PENDING' },
    ]);
    await db.updateTable('job').set({ status: 'CANCELED' }).where('id', '=', job!.id).execute();
  });

  it("answers the runner's own claim document with nothing read after the claiming statement", async () => {
    const tenant = await createTenant(db, 'ENTERPRISE');
    const job = await submit(server, tenant);
    const { client } = await createRunner(server, ['st-default']);
    await client.data('{ __typename }');
    const claim = await counted(() => client.data(CLAIM_JOB, { waitSeconds: 0 }));
    // The runner's specs, then the claim (which reads the job's spec too), and no more.
    expect(claim).toHaveLength(2);
    expect(claim[1]).toContain('update job set status =');
    const again = await counted(() => client.data(CLAIM_JOB, { waitSeconds: 0 }));
    // The runner's specs are remembered between claims: the next claim is its one statement.
    expect(again).toHaveLength(1);
    expect(again[0]).toContain('update job set status =');
    await db.updateTable('job').set({ status: 'CANCELED' }).where('id', '=', job.id).execute();
  });

  it("writes each of a paid job's row versions into 5 indexes in flight and 4 once processed", async () => {
    // A status change is never a HOT update, so every version gets an entry in each index whose
    // predicate it meets: evaluate each index's predicate against the job's current row.
    const indexed = async (jobId: string) => {
      const { rows } = await sql<{ name: string; pred: string | null }>`
        SELECT indexrelid::regclass::text AS name, pg_get_expr(indpred, indrelid) AS pred
        FROM pg_index WHERE indrelid = 'job'::regclass`.execute(db);
      const hit: string[] = [];
      for (const { name, pred } of rows) {
        const { rows: met } = await sql<{ ok: boolean }>`
          SELECT (${sql.raw(pred ?? 'true')}) AS ok FROM job WHERE id = ${jobId}`.execute(db);
        if (met[0]?.ok) hit.push(name);
      }
      return hit.sort();
    };
    const tenant = await createTenant(db, 'ENTERPRISE');
    const job = await submit(server, tenant);
    const { client } = await createRunner(server, ['st-default']);
    const claimed = (await client.data(CLAIM_JOB, { waitSeconds: 0, start: true })) as {
      claimJob: { job: { id: string; status: string } };
    };
    expect(claimed.claimJob.job).toEqual({ ...claimed.claimJob.job, id: job.id, status: 'RUNNING' });
    expect(await indexed(job.id)).toEqual([
      'job_in_flight_org',
      'job_pkey',
      'job_project_created',
      'job_report_kind',
      'job_runner_in_flight',
    ]);
    await db
      .updateTable('job')
      .set({ status: 'PROCESSED', finished_at: new Date() })
      .where('id', '=', job.id)
      .execute();
    expect(await indexed(job.id)).toEqual([
      'job_log_archive_due',
      'job_pkey',
      'job_project_created',
      'job_report_kind',
    ]);
  });

  it("takes no row lock on the job's organization or project, and their deletion still removes its jobs and usage", async () => {
    const tenant = await createTenant(db, 'ENTERPRISE');
    const job = await submit(server, tenant);
    const { client } = await createRunner(server, ['st-default']);
    await client.data(CLAIM_JOB, { waitSeconds: 0, start: true });
    // Their keys are copies of the report's project and its organization, which cascade.
    const { rows } = await sql<{ name: string }>`
      SELECT conname AS name FROM pg_constraint
      WHERE contype = 'f' AND conrelid IN ('job'::regclass, 'usage'::regclass)
        AND confrelid IN ('organization'::regclass, 'project'::regclass)`.execute(db);
    expect(rows).toEqual([]);
    expect(await db.selectFrom('usage').select('job_id').where('job_id', '=', job.id).execute()).toHaveLength(
      1,
    );
    await db.deleteFrom('organization').where('id', '=', tenant.orgId).execute();
    expect(await db.selectFrom('job').select('id').where('id', '=', job.id).execute()).toEqual([]);
    expect(await db.selectFrom('usage').select('job_id').where('job_id', '=', job.id).execute()).toEqual([]);
  });

  it('answers repeats from a read, without a second write', async () => {
    const tenant = await createTenant(db, 'ENTERPRISE');
    const job = await submit(server, tenant);
    await api.claim();
    await api.start(job.id);
    expect((await api.start(job.id)).data.startJob.status).toBe('RUNNING');
    await api.append(job.id, [{ seq: 0, text: 'a' }]);
    expect((await api.append(job.id, [{ seq: 0, text: 'a' }])).data.appendJobLogs).toBe(1);
    const gap = await api.append(job.id, [{ seq: 3, text: 'd' }]);
    expect(gap.errors?.[0]?.extensions).toMatchObject({ code: 'LOG_GAP', expectedSeq: 1 });
  });
});
