import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/clock.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { Sweeper } from '../../src/server/queue/sweeper.js';
import { startTestServer } from '../helpers/server.js';
import { bmf, createRunner, createSpec, createTenant, jobStatus, runnerApi, submit } from './fixtures.js';

const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
const queue = queueExtension({ sweeperTimer: false, heartbeatTimer: false });
const server = await startTestServer({ clock, extensions: [queue] });
const { db } = server.database;
await createSpec(db, 'sw-default', true);
const api = runnerApi((await createRunner(server, ['sw-default'])).client);
// Acknowledged heartbeats reach the database within a flush interval, far inside the timeout the
// sweeper judges by; with the clock in the test's hands, each sweep writes them first.
const sweep = async () => {
  await queue.heartbeats!.flush();
  return queue.sweeper!.tick();
};
const seconds = (n: number) => clock.advance(n * 1000);

async function running(tier: 'FREE' | 'UNCLAIMED' | 'TEAM' = 'TEAM', timeoutSeconds: number | null = null) {
  const job = await submit(server, await createTenant(db, tier), { timeoutSeconds });
  expect((await api.claim())?.job.id).toBe(job.id);
  expect((await api.start(job.id)).errors).toBeUndefined();
  return job;
}

describe('sweeper', () => {
  it('leads alone: a second sweeper on the same database stays idle', async () => {
    expect(await sweep()).not.toBeNull();
    const second = new Sweeper({
      databaseUrl: server.database.url,
      config: server.deps.config,
      clock,
      events: server.deps.events,
      timer: false,
    });
    try {
      expect(await second.tick()).toBeNull();
      expect(second.isLeader).toBe(false);
    } finally {
      await second.stop();
    }
  });

  it('fails a job whose runner went silent; heartbeats keep it alive; a late completion still wins', async () => {
    const job = await running();
    seconds(25);
    expect((await api.heartbeat(job.id)).data.heartbeatJob.cancel).toBe(false);
    seconds(25);
    expect(await sweep()).toMatchObject({ heartbeatTimeouts: 0 });
    expect((await jobStatus(db, job.id)).status).toBe('RUNNING');
    seconds(10);
    expect(await sweep()).toMatchObject({ heartbeatTimeouts: 1 });
    expect(await jobStatus(db, job.id)).toMatchObject({
      status: 'FAILED',
      failure_reason: 'HEARTBEAT_TIMEOUT',
    });
    expect((await api.heartbeat(job.id)).data.heartbeatJob.cancel).toBe(false);
    expect((await api.append(job.id, [{ seq: 0, text: 'late' }])).errors).toBeUndefined();
    seconds(5); // 65 s after start: two started minutes
    const late = await api.complete(job.id, 0, [{ iteration: 0, exitCode: 0, stdout: bmf(5) }]);
    expect(late.data.completeJob).toMatchObject({
      status: 'PROCESSED',
      failureReason: null,
      billedMinutes: 2,
    });
  });

  it('fails a claimed job that never started', async () => {
    const job = await submit(server, await createTenant(db, 'TEAM'));
    expect((await api.claim())?.job.id).toBe(job.id);
    seconds(31);
    await sweep();
    expect(await jobStatus(db, job.id)).toMatchObject({
      status: 'FAILED',
      failure_reason: 'HEARTBEAT_TIMEOUT',
      failure_message: expect.stringMatching(/never started/),
      billed_minutes: 0,
    });
  });

  it('cancels a job past its timeout plus grace, even while it heartbeats', async () => {
    const job = await running('TEAM', 100);
    for (let t = 0; t < 160; t += 20) {
      seconds(20);
      expect((await api.heartbeat(job.id)).data.heartbeatJob.cancel).toBe(false);
      await sweep();
    }
    expect((await jobStatus(db, job.id)).status).toBe('RUNNING');
    seconds(5);
    await sweep();
    expect(await jobStatus(db, job.id)).toMatchObject({
      status: 'CANCELED',
      failure_reason: 'JOB_TIMEOUT',
      billed_minutes: 3,
    });
    expect((await api.heartbeat(job.id)).data.heartbeatJob.cancel).toBe(true);
    expect((await api.fail(job.id, 'JOB_TIMEOUT')).data.failJob.status).toBe('CANCELED');
  });

  it('times unclaimed and free jobs out at their tier’s limit', async () => {
    const unclaimed = await running('UNCLAIMED', 3600);
    const free = await running('FREE', 3600);
    expect((await jobStatus(db, unclaimed.id)).timeout_seconds).toBe(60);
    expect((await jobStatus(db, free.id)).timeout_seconds).toBe(300);
    for (let t = 0; t < 130; t += 10) {
      seconds(10);
      for (const job of [unclaimed, free]) await api.heartbeat(job.id);
      await sweep();
    }
    expect((await jobStatus(db, unclaimed.id)).failure_reason).toBe('JOB_TIMEOUT');
    expect((await jobStatus(db, free.id)).status).toBe('RUNNING');
    for (let t = 0; t < 240; t += 10) {
      seconds(10);
      await api.heartbeat(free.id);
      await sweep();
    }
    expect((await jobStatus(db, free.id)).failure_reason).toBe('JOB_TIMEOUT');
  });

  it('retries a processing error that never heals with doubling backoff, then fails the job PROCESSING_ERROR', async () => {
    const job = await running();
    await sql`CREATE FUNCTION sw_broken_metric() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'metric storage is broken'; END $$`.execute(db);
    await sql`CREATE TRIGGER sw_broken_metric BEFORE INSERT ON metric
      FOR EACH ROW EXECUTE FUNCTION sw_broken_metric()`.execute(db);
    const attempts = async () => (await jobStatus(db, job.id)).processing_attempts;
    try {
      // The runner is answered (no error: it moves on), the job waits COMPLETED for a retry.
      const done = await api.complete(job.id, 0, [{ iteration: 0, exitCode: 0, stdout: bmf(3) }]);
      expect(done.errors).toBeUndefined();
      expect(done.data.completeJob.status).toBe('COMPLETED');
      expect(await attempts()).toBe(1);
      const { processingAttempts, processingRetrySeconds } = server.deps.config;
      expect(processingAttempts).toBe(5);
      // Retries at 10, 20, 40 and 80 s after the previous attempt; a tick a second early does nothing.
      for (let attempt = 1; attempt < processingAttempts; attempt++) {
        const wait = processingRetrySeconds * 2 ** (attempt - 1);
        seconds(wait - 1);
        await sweep();
        expect(await attempts()).toBe(attempt);
        expect((await jobStatus(db, job.id)).status).toBe('COMPLETED');
        seconds(1);
        await sweep();
        expect(await attempts()).toBe(attempt + 1);
      }
      expect(await jobStatus(db, job.id)).toMatchObject({
        status: 'FAILED',
        failure_reason: 'PROCESSING_ERROR',
        failure_message: 'result processing failed 5 times: metric storage is broken',
        next_processing_at: null,
      });
      seconds(3600);
      await sweep();
      expect(await attempts()).toBe(5);
    } finally {
      await sql`DROP TRIGGER sw_broken_metric ON metric`.execute(db);
      await sql`DROP FUNCTION sw_broken_metric()`.execute(db);
    }
    const report = await db
      .selectFrom('report')
      .select('error')
      .where('id', '=', job.report_id)
      .executeTakeFirstOrThrow();
    expect(report.error).toBe('result processing failed 5 times: metric storage is broken');
    // A repeat of the completion after a lost answer gets the final job.
    const again = await api.complete(job.id, 0, []);
    expect(again.data.completeJob).toMatchObject({ status: 'FAILED', failureReason: 'PROCESSING_ERROR' });
  });

  it('fails a completed job at once when its processing error is permanent (a data exception)', async () => {
    const job = await running();
    await sql`CREATE FUNCTION sw_bad_data() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'bad data' USING ERRCODE = '22021'; END $$`.execute(db);
    await sql`CREATE TRIGGER sw_bad_data BEFORE INSERT ON metric
      FOR EACH ROW EXECUTE FUNCTION sw_bad_data()`.execute(db);
    try {
      const done = await api.complete(job.id, 0, [{ iteration: 0, exitCode: 0, stdout: bmf(3) }]);
      expect(done.data.completeJob).toMatchObject({
        status: 'FAILED',
        failureReason: 'PROCESSING_ERROR',
        failureMessage: 'result processing failed: bad data',
      });
    } finally {
      await sql`DROP TRIGGER sw_bad_data ON metric`.execute(db);
      await sql`DROP FUNCTION sw_bad_data()`.execute(db);
    }
    expect(await jobStatus(db, job.id)).toMatchObject({ processing_attempts: 1 });
  });

  it('processes completed jobs left unprocessed when the leader (re)starts', async () => {
    const job = await running();
    await db
      .insertInto('job_output')
      .values({ job_id: job.id, iteration: 0, exit_code: 0, stdout: bmf(9) })
      .execute();
    await db
      .updateTable('job')
      .set({ status: 'COMPLETED', exit_code: 0, finished_at: clock.now() })
      .where('id', '=', job.id)
      .execute();
    const restarted = new Sweeper({
      databaseUrl: server.database.url,
      config: server.deps.config,
      clock,
      events: server.deps.events,
      timer: false,
    });
    await queue.sweeper!.stop();
    try {
      expect(await restarted.tick()).toMatchObject({ processed: 1 });
    } finally {
      await restarted.stop();
    }
    expect((await jobStatus(db, job.id)).status).toBe('PROCESSED');
  });
});
