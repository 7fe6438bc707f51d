import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/clock.js';
import { ConfigError, loadConfig } from '../../src/server/config.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { releaseHandedJob } from '../../src/server/queue/release-handed-job.js';
import { startTestServer } from '../helpers/server.js';
import { bmf, createRunner, createSpec, createTenant, jobStatus, runnerApi, submit } from './fixtures.js';

// Heartbeats batched per server (queue/heartbeat-batch.ts) on a narrow lease (migration 0022): the
// statements they cost, and that every answer is still the truth.
const clock = new ManualClock(new Date('2031-01-01T00:00:00Z'));
const statements: string[] = [];
const queue = queueExtension({ sweeperTimer: false, heartbeatTimer: false });
const server = await startTestServer({
  clock,
  extensions: [queue],
  onQuery: (text) => statements.push(text),
});
const { db } = server.database;
await createSpec(db, 'hb-default', true);
const first = await createRunner(server, ['hb-default']);
const api = runnerApi(first.client);
const second = await createRunner(server, ['hb-default']);
const otherApi = runnerApi(second.client);
const heartbeats = () => queue.heartbeats!;
const seconds = (n: number) => clock.advance(n * 1000);

async function counted<T>(call: () => Promise<T>): Promise<{ value: T; statements: number }> {
  statements.length = 0;
  const value = await call();
  return { value, statements: statements.length };
}

async function running(count = 1): Promise<string[]> {
  const tenant = await createTenant(db, 'ENTERPRISE');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const job = await submit(server, tenant);
    expect((await api.claim())?.job.id).toBe(job.id);
    expect((await api.start(job.id)).errors).toBeUndefined();
    ids.push(job.id);
  }
  return ids;
}

const lease = (jobId: string) =>
  db.selectFrom('job_lease').selectAll().where('job_id', '=', jobId).executeTakeFirst();
/** The row version of a job: it changes whenever the wide row is written. */
const rowVersion = async (jobId: string) =>
  (await sql<{ xmin: string }>`SELECT xmin::text FROM job WHERE id = ${jobId}`.execute(db)).rows[0]!.xmin;

describe('batched heartbeats', () => {
  it('writes a job’s first beat at once, acknowledges later ones from memory, and writes them all in one statement', async () => {
    const ids = await running(3);
    for (const id of ids) {
      const beat = await counted(() => api.heartbeat(id));
      expect(beat.value.data.heartbeatJob).toEqual({ cancel: false });
      // The runner's key is cached; the beat itself is the one statement.
      expect(beat.statements).toBe(1);
    }
    const versions = await Promise.all(ids.map(rowVersion));
    seconds(5);
    const beatAt = clock.now();
    for (const id of ids) {
      const beat = await counted(() => api.heartbeat(id));
      expect(beat.value.data.heartbeatJob).toEqual({ cancel: false });
      expect(beat.statements).toBe(0);
    }
    // Not written yet: the lease still has the first beat.
    for (const id of ids) expect((await lease(id))!.beat_at.getTime()).toBeLessThan(beatAt.getTime());
    const flush = await counted(() => heartbeats().flush());
    expect(flush.statements).toBe(1);
    for (const id of ids) expect((await lease(id))!.beat_at).toEqual(beatAt);
    // The wide job rows were not rewritten by any of it.
    expect(await Promise.all(ids.map(rowVersion))).toEqual(versions);
    expect((await counted(() => heartbeats().flush())).statements).toBe(0);
  });

  it('bills running minutes from batched beats, and only writes usage when they grow', async () => {
    const [id] = await running(1);
    await api.heartbeat(id!);
    seconds(70);
    await api.heartbeat(id!);
    await heartbeats().flush();
    const usage = await db
      .selectFrom('usage')
      .selectAll()
      .where('job_id', '=', id!)
      .executeTakeFirstOrThrow();
    expect(usage.minutes).toBe(2);
    seconds(5);
    await api.heartbeat(id!);
    await heartbeats().flush();
    const again = await db
      .selectFrom('usage')
      .selectAll()
      .where('job_id', '=', id!)
      .executeTakeFirstOrThrow();
    // Still two started minutes: the row was left alone.
    expect(again).toEqual(usage);
  });

  it('tells the runner of a cancel even when its beats were answered from memory', async () => {
    const [id] = await running(1);
    await api.heartbeat(id!);
    expect((await counted(() => api.heartbeat(id!))).statements).toBe(0);
    const canceled = await server
      .client(server.adminToken)
      .request('mutation($id: UUID!) { cancelJob(id: $id) { cancelRequested } }', { id });
    expect(canceled.errors).toBeUndefined();
    await expect.poll(async () => (await api.heartbeat(id!)).data.heartbeatJob).toEqual({ cancel: true });
    expect((await api.heartbeat(id!, 5)).data.heartbeatJob).toEqual({ cancel: true });
  });

  it('answers a job the sweeper failed from its row: not told to stop, no lease extended, its last beat kept', async () => {
    const [id] = await running(1);
    await api.heartbeat(id!);
    seconds(10);
    await api.heartbeat(id!);
    const lastBeat = clock.now();
    await heartbeats().flush();
    seconds(31);
    // (Earlier tests' jobs time out in the same sweep.)
    await queue.sweeper!.tick();
    expect(await jobStatus(db, id!)).toMatchObject({ status: 'FAILED', failure_reason: 'HEARTBEAT_TIMEOUT' });
    expect(await lease(id!)).toBeUndefined();
    const row = await db
      .selectFrom('job')
      .select('last_heartbeat_at')
      .where('id', '=', id!)
      .executeTakeFirst();
    expect(row?.last_heartbeat_at).toEqual(lastBeat);
    // The late runner is answered the truth (a late completion still wins), read from the job.
    const late = await counted(() => api.heartbeat(id!));
    expect(late.value.data.heartbeatJob).toEqual({ cancel: false });
    expect(late.statements).toBeGreaterThan(0);
    await heartbeats().flush();
    expect(await lease(id!)).toBeUndefined();
    const done = await api.complete(id!, 0, [{ iteration: 0, exitCode: 0, stdout: bmf(1) }]);
    expect(done.errors).toBeUndefined();
  });

  it('refuses the beats of a runner whose job went back to the queue and to another runner', async () => {
    const tenant = await createTenant(db, 'ENTERPRISE');
    const submitted = await submit(server, tenant);
    const claim = await api.claim();
    expect(claim?.job.id).toBe(submitted.id);
    await api.heartbeat(submitted.id);
    expect((await counted(() => api.heartbeat(submitted.id))).statements).toBe(0);
    const job = await db
      .selectFrom('job')
      .selectAll()
      .where('id', '=', submitted.id)
      .executeTakeFirstOrThrow();
    await releaseHandedJob(db, job, server.deps.events);
    expect(await lease(submitted.id)).toBeUndefined();
    expect((await otherApi.claim())?.job.id).toBe(submitted.id);
    expect((await lease(submitted.id))?.runner_id).toBe(second.id);
    await expect
      .poll(async () => (await api.heartbeat(submitted.id)).errors?.[0]?.extensions?.code)
      .toBe('FORBIDDEN');
    expect((await otherApi.heartbeat(submitted.id)).data.heartbeatJob).toEqual({ cancel: false });
    // A beat of the first runner still waiting to be written cannot take the lease back.
    await heartbeats().flush();
    expect((await lease(submitted.id))?.runner_id).toBe(second.id);
  });

  it('writes what it acknowledged when the server stops', async () => {
    const { HeartbeatBatch } = await import('../../src/server/queue/heartbeat-batch.js');
    const [id] = await running(1);
    const batch = new HeartbeatBatch({
      db,
      events: server.deps.events,
      intervalMs: 60_000,
      forgetAfterMs: 60_000,
      timer: false,
    });
    const runnerId = first.id;
    await batch.beat({ jobId: id!, runnerId, now: clock.now() });
    seconds(3);
    const at = clock.now();
    expect(await batch.beat({ jobId: id!, runnerId, now: at })).toEqual({ cancel: false, leased: true });
    expect((await lease(id!))!.beat_at.getTime()).toBeLessThan(at.getTime());
    await batch.stop();
    expect((await lease(id!))!.beat_at).toEqual(at);
  });

  it('refuses a flush interval too long for the heartbeat timeout, saying what to give', () => {
    expect(() =>
      loadConfig({ BENCHLINE_HEARTBEAT_FLUSH_MS: '20000', BENCHLINE_HEARTBEAT_TIMEOUT: '30' }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ BENCHLINE_HEARTBEAT_FLUSH_MS: '-1' })).toThrow(/whole number/);
    expect(loadConfig({}).heartbeatFlushMs).toBe(1000);
    expect(loadConfig({ BENCHLINE_HEARTBEAT_FLUSH_MS: '0' }).heartbeatFlushMs).toBe(0);
  });
});
