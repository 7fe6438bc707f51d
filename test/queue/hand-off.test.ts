import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { BusEvent } from '../../src/server/events/bus.js';
import { claimWaitersFor } from '../../src/server/queue/claim-waiters.js';
import { createJob } from '../../src/server/queue/create-job.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { settleHandOff } from '../../src/server/queue/hand-off.js';
import { waitForJob } from '../../src/server/queue/wait-for-job.js';
import { startTestServer } from '../helpers/server.js';
import {
  createReport,
  createRunner,
  createSpec,
  createTenant,
  insertPendingJobs,
  jobInput,
  runnerApi,
  submit,
} from './fixtures.js';

const server = await startTestServer({ extensions: [queueExtension({ sweeperTimer: false })] });
const { db } = server.database;
const { events } = server.deps;
const waiters = claimWaitersFor(events);

/** A spec (and runner) per test, so that no other test's jobs or runners get in the way. */
async function freshSpec() {
  const slug = `ho-${Math.random().toString(36).slice(2, 8)}`;
  const specId = await createSpec(db, slug);
  const runner = await createRunner(server, [slug]);
  return { slug, specId, runner, api: runnerApi(runner.client) };
}

async function untilAsleep(count = 1) {
  for (let i = 0; i < 200 && waiters.sleeping < count; i++) await new Promise((r) => setTimeout(r, 10));
  expect(waiters.sleeping).toBe(count);
}

/** A claimer asleep in waitForJob for `specId`, whose caller can go away (`caller.abort()`). */
async function sleepingClaimer(runnerId: string, specId: string, start?: boolean) {
  const caller = new AbortController();
  const waiting = waitForJob(db, server.deps.config, events, {
    runnerId,
    specIds: [specId],
    waitSeconds: 20,
    now: () => server.deps.clock.now(),
    signal: caller.signal,
    ...(start ? { start } : {}),
  });
  await untilAsleep();
  return { caller, waiting };
}

function recordQueueEvents(): { seen: BusEvent[]; stop(): void } {
  const seen: BusEvent[] = [];
  const stop = events.subscribe((event) => {
    if (event.topic === 'queue') seen.push(event);
  });
  return { seen, stop };
}

const jobRow = (id: string) =>
  db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('hand-off to a sleeping long-poll', () => {
  it('claims a job for the runner waiting on this server in its own insert, without queueing it', async () => {
    const { slug, runner, api } = await freshSpec();
    const waiting = api.claim(null, 20);
    await untilAsleep();
    const queued = recordQueueEvents();
    const job = await submit(server, await createTenant(db, 'ENTERPRISE'), { spec: slug });
    const claimed = await waiting;
    queued.stop();
    expect(claimed?.job.id).toBe(job.id);
    expect(claimed?.job.status).toBe('CLAIMED');
    expect(claimed?.config.digest).toBeTruthy();
    const row = await jobRow(job.id);
    expect(row).toMatchObject({ status: 'CLAIMED', runner_id: runner.id });
    // Never PENDING: claimed at its creation, and no runner was woken for it.
    expect(row.claimed_at).toEqual(row.created_at);
    expect(row.last_heartbeat_at).toEqual(row.created_at);
    expect(queued.seen).toEqual([]);
    await api.start(job.id);
    await api.fail(job.id, 'RUNNER_ERROR');
  });

  it('inserts a job handed to a claimer that asked for it started RUNNING and billed', async () => {
    const { slug, runner, api } = await freshSpec();
    const waiting = api.claim(null, 20, true);
    await untilAsleep();
    const job = await submit(server, await createTenant(db, 'ENTERPRISE'), { spec: slug });
    // The creating statement started it: the submitter already sees it RUNNING.
    expect(job).toMatchObject({ status: 'RUNNING', runner_id: runner.id });
    expect(job.started_at).toEqual(job.created_at);
    const claimed = await waiting;
    expect(claimed?.job).toMatchObject({ id: job.id, status: 'RUNNING' });
    const row = await jobRow(job.id);
    expect(row).toMatchObject({ status: 'RUNNING', runner_id: runner.id });
    expect(row.started_at).toEqual(row.created_at);
    expect(row.claimed_at).toEqual(row.created_at);
    // One row version, the creating transaction's: the claimer's request wrote nothing.
    const { rows } = await sql<{ same: boolean }>`
      SELECT job.xmin::text = report.xmin::text AS same
      FROM job JOIN report ON report.id = job.report_id WHERE job.id = ${job.id}`.execute(db);
    expect(rows).toEqual([{ same: true }]);
    const usage = await db
      .selectFrom('usage')
      .select(['minutes', 'runner_id', 'started_at'])
      .where('job_id', '=', job.id)
      .execute();
    expect(usage).toEqual([{ minutes: 1, runner_id: runner.id, started_at: row.started_at }]);
    await api.fail(job.id, 'RUNNER_ERROR');
  });

  it('puts a job handed RUNNING back in the queue, unbilled, when its long-poll has gone away', async () => {
    const { slug, specId, runner } = await freshSpec();
    const tenant = await createTenant(db, 'ENTERPRISE');
    const { caller, waiting } = await sleepingClaimer(runner.id, specId, true);
    const job = await submit(server, tenant, {
      spec: slug,
      // The runner's request ends after the job was started for it, before the commit delivers it.
      onReport: () => setImmediate(() => caller.abort()),
    });
    expect(job.status).toBe('RUNNING');
    expect(await waiting).toBeNull();
    expect(await jobRow(job.id)).toMatchObject({
      status: 'PENDING',
      runner_id: null,
      claimed_at: null,
      started_at: null,
    });
    expect(await db.selectFrom('usage').select('job_id').where('job_id', '=', job.id).execute()).toEqual([]);
    expect(await db.selectFrom('job_lease').select('job_id').where('job_id', '=', job.id).execute()).toEqual(
      [],
    );
    // Claimed again, it is billed from that start.
    const again = await runnerApi(runner.client).claim(null, 0, true);
    expect(again?.job).toMatchObject({ id: job.id, status: 'RUNNING' });
    const usage = await db
      .selectFrom('usage')
      .select('started_at')
      .where('job_id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(usage.started_at).toEqual((await jobRow(job.id)).started_at);
  });

  it('queues jobs of a tier with a concurrency limit, which only a claim can check', async () => {
    const { slug, runner, api } = await freshSpec();
    const waiting = api.claim(null, 20);
    await untilAsleep();
    const queued = recordQueueEvents();
    const job = await submit(server, await createTenant(db, 'TEAM'), { spec: slug });
    expect((await waiting)?.job.id).toBe(job.id);
    queued.stop();
    expect(queued.seen.length).toBeGreaterThan(0);
    expect((await jobRow(job.id)).runner_id).toBe(runner.id);
    await api.fail(job.id, 'RUNNER_ERROR');
  });

  it('never lets a new job overtake a pending one of its spec and priority', async () => {
    const { slug, specId, api } = await freshSpec();
    const waiting = api.claim(null, 20);
    await untilAsleep();
    // Pending behind the bus's back: no event woke the runner for it.
    const [older] = await insertPendingJobs(db, await createTenant(db, 'ENTERPRISE'), specId, 1, {
      priority: 300,
    });
    const newer = await submit(server, await createTenant(db, 'ENTERPRISE'), { spec: slug });
    expect((await jobRow(newer.id)).status).toBe('PENDING');
    // The newer job's wake-up makes the runner claim, in order.
    expect((await waiting)?.job.id).toBe(older);
    expect((await api.claim())?.job.id).toBe(newer.id);
  });

  it('hands nothing over when the creating transaction rolls back, and the runner waits on', async () => {
    const { slug, api } = await freshSpec();
    const tenant = await createTenant(db, 'ENTERPRISE');
    const waiting = api.claim(null, 20);
    await untilAsleep();
    const { config, services, clock } = server.deps;
    let rolledBackJob = '';
    await expect(
      settleHandOff((keep) =>
        db.transaction().execute(async (trx) => {
          const reportId = await createReport(trx, tenant);
          const created = await createJob(
            trx,
            { config, services, now: clock.now(), channel: events.sqlChannel, waiters },
            jobInput(tenant, reportId, { spec: slug }),
          );
          keep(created.handOff);
          rolledBackJob = created.job.id;
          expect(created.job.status).toBe('CLAIMED');
          throw new Error('the run failed after its job was made');
        }),
      ),
    ).rejects.toThrow(/the run failed/);
    expect(
      await db.selectFrom('job').select('id').where('id', '=', rolledBackJob).executeTakeFirst(),
    ).toBeUndefined();
    await untilAsleep();
    const job = await submit(server, tenant, { spec: slug });
    expect((await waiting)?.job.id).toBe(job.id);
    await api.fail(job.id, 'RUNNER_ERROR');
  });

  it('puts a job back in the queue when the long-poll it was handed to has gone away', async () => {
    const { slug, specId, runner } = await freshSpec();
    const tenant = await createTenant(db, 'ENTERPRISE');
    const { caller, waiting } = await sleepingClaimer(runner.id, specId);
    const job = await submit(server, tenant, {
      spec: slug,
      // The runner's request ends after the job was claimed for it, before the commit delivers it.
      onReport: () => setImmediate(() => caller.abort()),
    });
    expect(job.status).toBe('CLAIMED');
    expect(await waiting).toBeNull();
    expect(await jobRow(job.id)).toMatchObject({ status: 'PENDING', runner_id: null, claimed_at: null });
    expect((await runnerApi(runner.client).claim())?.job.id).toBe(job.id);
  });
});
