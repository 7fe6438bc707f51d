import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import type { BusEvent } from '../../src/server/events/bus.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { tapEvents } from '../helpers/event-tap.js';
import { startTestServer } from '../helpers/server.js';
import {
  bmf,
  createMember,
  createRunner,
  createSpec,
  createTenant,
  DIGEST,
  jobStatus,
  runnerApi,
  submit,
} from './fixtures.js';

const server = await startTestServer({ extensions: [queueExtension({ sweeperTimer: false })] });
const { db } = server.database;
const specId = await createSpec(db, 'lc-default', true);
await createSpec(db, 'lc-other');
const runner = await createRunner(server, ['lc-default', 'lc-other']);
const api = runnerApi(runner.client);
const other = runnerApi((await createRunner(server, ['lc-default'])).client);

const published: BusEvent[] = await tapEvents(server);

/** Claims the given job (it must be the only claimable one) and starts it. */
async function claimAndStart(jobId: string) {
  const claim = await api.claim();
  expect(claim?.job.id).toBe(jobId);
  expect((await api.start(jobId)).errors).toBeUndefined();
}

describe('the whole lifecycle', () => {
  it('runs a job from submit to PROCESSED, with logs, heartbeats, billing and results', async () => {
    const tenant = await createTenant(db, 'TEAM');
    const waiting = api.claim(null, 20);
    await new Promise((r) => setTimeout(r, 100));
    const job = await submit(server, tenant, { env: { A: '1' }, timeoutSeconds: 120 });
    expect(job.status).toBe('PENDING');
    const claim = await waiting;
    expect(claim?.job).toMatchObject({ id: job.id, status: 'CLAIMED', priority: 200, tier: 'TEAM' });
    expect(claim?.config).toMatchObject({
      repository: 'bench/app',
      digest: DIGEST,
      cmd: ['bench'],
      env: { A: '1' },
      timeoutSeconds: 120,
      iterations: 1,
    });
    expect(claim?.pullToken).toBeNull();

    expect((await api.start(job.id)).data.startJob.status).toBe('RUNNING');
    expect((await api.start(job.id)).data.startJob.status).toBe('RUNNING'); // retry
    expect(
      (
        await api.append(job.id, [
          { seq: 0, text: 'hello ' },
          { seq: 1, text: 'world' },
        ])
      ).data.appendJobLogs,
    ).toBe(2);
    // A retry of the same chunks is ignored; a gap is refused with the seq to resend from.
    expect((await api.append(job.id, [{ seq: 1, text: 'world' }])).data.appendJobLogs).toBe(2);
    const gap = await api.append(job.id, [{ seq: 4, text: 'later' }]);
    expect(gap.errors?.[0]?.extensions).toMatchObject({ code: 'LOG_GAP', expectedSeq: 2 });
    expect((await api.append(job.id, [{ seq: 2, stream: 'STDERR', text: '!' }])).data.appendJobLogs).toBe(3);
    expect((await api.heartbeat(job.id)).data.heartbeatJob).toEqual({ cancel: false });

    const done = await api.complete(job.id, 0, [{ iteration: 0, exitCode: 0, stdout: bmf(42) }]);
    expect(done.errors).toBeUndefined();
    expect(done.data.completeJob).toMatchObject({ status: 'PROCESSED', exitCode: 0, billedMinutes: 1 });
    const retry = await api.complete(job.id, 0, [{ iteration: 0, exitCode: 0, stdout: bmf(42) }]);
    expect(retry.data.completeJob.status).toBe('PROCESSED');

    const metrics = await db
      .selectFrom('metric')
      .select('value')
      .where('report_id', '=', job.report_id)
      .execute();
    expect(metrics.map((m) => m.value)).toEqual([42]);
    const report = await db
      .selectFrom('report')
      .select('spec_id')
      .where('id', '=', job.report_id)
      .executeTakeFirstOrThrow();
    expect(report.spec_id).toBe(specId);

    const admin = server.client(server.adminToken);
    const view = await admin.data(
      `query($id: UUID!) { job(id: $id) { status reportId report { id } spec { slug } runner { id } project { slug }
        config { digest cmd timeoutSeconds } outputs { iteration exitCode } startedAt finishedAt } }`,
      { id: job.id },
    );
    expect(view.job).toMatchObject({
      status: 'PROCESSED',
      reportId: job.report_id,
      report: { id: job.report_id },
      spec: { slug: 'lc-default' },
      runner: { id: runner.id },
      project: { slug: tenant.projectSlug },
      config: { digest: DIGEST, cmd: ['bench'], timeoutSeconds: 120 },
      outputs: [{ iteration: 0, exitCode: 0 }],
    });
    const logs = await admin.data(
      `query($id: UUID!) { jobLogChunks(jobId: $id, afterSeq: 0) { seq stream data } }`,
      {
        id: job.id,
      },
    );
    expect(
      logs.jobLogChunks.map((c: any) => [c.seq, c.stream, Buffer.from(c.data, 'base64').toString()]),
    ).toEqual([
      [1, 'STDOUT', 'world'],
      [2, 'STDERR', '!'],
    ]);
    const org = await db
      .selectFrom('organization')
      .select('slug')
      .where('id', '=', tenant.orgId)
      .executeTakeFirstOrThrow();
    const usage = await admin.data(
      `query($org: String!, $from: DateTime!, $to: DateTime!) { usage(organization: $org, from: $from, to: $to) { minutes jobs } }`,
      {
        org: org.slug,
        from: new Date(Date.now() - 3600_000).toISOString(),
        to: new Date(Date.now() + 60_000).toISOString(),
      },
    );
    expect(usage.usage).toEqual({ minutes: 1, jobs: 1 });
    const jobs = await admin.data(
      `query($p: String!) { jobs(project: $p, status: PROCESSED) { edges { node { id } } } }`,
      {
        p: tenant.projectSlug,
      },
    );
    expect(jobs.jobs.edges.map((e: any) => e.node.id)).toEqual([job.id]);

    const statuses = published
      .filter((e) => e.topic === 'job' && e.jobId === job.id)
      .map((e: any) => e.status);
    // The completion goes straight to PROCESSED in one transaction: COMPLETED is never seen.
    expect(statuses).toEqual(['PENDING', 'CLAIMED', 'RUNNING', 'PROCESSED']);
    // NOTIFY reaches the listener connection on its own schedule, after the answer.
    await vi.waitFor(() =>
      expect(published).toContainEqual({ topic: 'logs', jobId: job.id, fromSeq: 0, toSeq: 1 }),
    );
  });

  it('takes output files over stdout, iteration by iteration', async () => {
    const tenant = await createTenant(db, 'ENTERPRISE');
    const job = await submit(server, tenant, { filePaths: ['/out/a.json'], iterations: 2 });
    await claimAndStart(job.id);
    const done = await api.complete(job.id, 0, [
      { iteration: 0, exitCode: 0, files: { '/out/a.json': bmf(1) }, stdout: 'noise' },
      { iteration: 1, exitCode: 0, files: { '/out/a.json': bmf(3) }, stdout: 'noise' },
    ]);
    expect(done.data.completeJob.status).toBe('PROCESSED');
    const metrics = await db
      .selectFrom('metric')
      .select('value')
      .where('report_id', '=', job.report_id)
      .execute();
    expect(metrics.map((m) => m.value).sort()).toEqual([1, 3]);
  });

  it('fails with NONZERO_EXIT but keeps what parsed', async () => {
    const job = await submit(server, await createTenant(db, 'ENTERPRISE'));
    await claimAndStart(job.id);
    const done = await api.complete(job.id, 3, [{ iteration: 0, exitCode: 3, stdout: bmf(7) }]);
    expect(done.data.completeJob).toMatchObject({
      status: 'FAILED',
      failureReason: 'NONZERO_EXIT',
      exitCode: 3,
    });
    const metrics = await db
      .selectFrom('metric')
      .select('value')
      .where('report_id', '=', job.report_id)
      .execute();
    expect(metrics.map((m) => m.value)).toEqual([7]);
  });

  it('refuses outputs with NUL characters (PostgreSQL cannot store them) and changes nothing', async () => {
    const job = await submit(server, await createTenant(db, 'ENTERPRISE'));
    await claimAndStart(job.id);
    const done = await api.complete(job.id, 0, [
      { iteration: 0, exitCode: 0, stdout: bmf(4), files: { '/out/junk.bin': 'a\u0000b' } },
    ]);
    expect(done.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/variable \$outputs\[0\]\.files\.\/out\/junk\.bin.*NUL/),
      extensions: { code: 'BAD_INPUT' },
    });
    expect((await jobStatus(db, job.id)).status).toBe('RUNNING');
    expect(await db.selectFrom('job_output').selectAll().where('job_id', '=', job.id).execute()).toEqual([]);
  });

  it('fails with PROCESSING_ERROR and keeps the parse error on the report', async () => {
    const job = await submit(server, await createTenant(db, 'ENTERPRISE'));
    await claimAndStart(job.id);
    const done = await api.complete(job.id, 0, [{ iteration: 0, exitCode: 0, stdout: 'not json' }]);
    expect(done.data.completeJob).toMatchObject({ status: 'FAILED', failureReason: 'PROCESSING_ERROR' });
    const report = await db
      .selectFrom('report')
      .select('error')
      .where('id', '=', job.report_id)
      .executeTakeFirstOrThrow();
    expect(report.error).toMatch(/json/);
    expect(done.data.completeJob.failureMessage).toBe(report.error);
    // A retry after a lost answer changes nothing.
    expect((await api.complete(job.id, 0, [])).data.completeJob.failureReason).toBe('PROCESSING_ERROR');
  });

  it('keeps the job COMPLETED with its outputs when processing fails for another reason', async () => {
    const job = await submit(server, await createTenant(db, 'ENTERPRISE'));
    await claimAndStart(job.id);
    // A database error in the middle of processing, after the completion's own statement.
    await sql`CREATE FUNCTION lc_broken_metric() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'metric storage is broken'; END $$`.execute(db);
    await sql`CREATE TRIGGER lc_broken_metric BEFORE INSERT ON metric
      FOR EACH ROW EXECUTE FUNCTION lc_broken_metric()`.execute(db);
    try {
      // The runner is answered and moves on; the sweeper retries (test/queue/sweeper.test.ts).
      const done = await api.complete(job.id, 0, [{ iteration: 0, exitCode: 0, stdout: bmf(3) }]);
      expect(done.errors).toBeUndefined();
      expect(done.data.completeJob.status).toBe('COMPLETED');
    } finally {
      await sql`DROP TRIGGER lc_broken_metric ON metric`.execute(db);
      await sql`DROP FUNCTION lc_broken_metric()`.execute(db);
    }
    expect((await jobStatus(db, job.id)).status).toBe('COMPLETED');
    const outputs = await db.selectFrom('job_output').selectAll().where('job_id', '=', job.id).execute();
    expect(outputs.map((o) => o.stdout)).toEqual([bmf(3)]);
    const report = await db
      .selectFrom('report')
      .select('error')
      .where('id', '=', job.report_id)
      .executeTakeFirstOrThrow();
    expect(report.error).toBeNull();
    // A retry (or the sweeper) processes what was stored.
    expect((await api.complete(job.id, 0, [])).data.completeJob.status).toBe('PROCESSED');
  });
});

describe('creating jobs', () => {
  it('resolves the spec: explicit (remembered by the testbed), then the testbed’s, then the default', async () => {
    const tenant = await createTenant(db, 'TEAM');
    const explicit = await submit(server, tenant, { spec: 'lc-other' });
    expect((await jobStatus(db, explicit.id)).spec_id).not.toBe(specId);
    const testbed = await db
      .selectFrom('testbed')
      .select('spec_id')
      .where('id', '=', tenant.testbedId)
      .executeTakeFirstOrThrow();
    expect(testbed.spec_id).toBe(explicit.spec_id);
    const again = await submit(server, tenant);
    expect(again.spec_id).toBe(explicit.spec_id);
    const fresh = await submit(server, await createTenant(db, 'TEAM'));
    expect(fresh.spec_id).toBe(specId);
    await expect(submit(server, tenant, { spec: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await db.updateTable('job').set({ status: 'CANCELED' }).where('status', '=', 'PENDING').execute();
  });

  it('answers NO_SPEC saying what to do when there is no default', async () => {
    await db.updateTable('spec').set({ is_default: null }).execute();
    try {
      await expect(submit(server, await createTenant(db, 'TEAM'))).rejects.toMatchObject({
        code: 'NO_SPEC',
        message: expect.stringMatching(/--spec.*default/),
      });
    } finally {
      await db.updateTable('spec').set({ is_default: new Date() }).where('id', '=', specId).execute();
    }
  });

  it('refuses an image it cannot resolve to a digest', async () => {
    await expect(
      submit(server, await createTenant(db, 'TEAM'), { image: 'bench/app:v1' }),
    ).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
  });

  it('derives priority and timeout from the tier', async () => {
    const cases = [
      ['UNCLAIMED', 0, 600, 60],
      ['FREE', 100, 600, 300],
      ['FREE', 100, null, 300],
      ['TEAM', 200, null, 3600],
      ['ENTERPRISE', 300, 7200, 7200],
    ] as const;
    for (const [tier, priority, asked, timeout] of cases) {
      const job = await submit(server, await createTenant(db, tier), { timeoutSeconds: asked });
      expect([tier, job.priority, job.timeout_seconds]).toEqual([tier, priority, timeout]);
      expect((job.config as any).timeoutSeconds).toBe(timeout);
      await server
        .client(server.adminToken)
        .data('mutation($id: UUID!) { cancelJob(id: $id) { id } }', { id: job.id });
    }
  });

  it('raises the priority of pending jobs when the organization is claimed', async () => {
    const tenant = await createTenant(db, 'UNCLAIMED');
    const job = await submit(server, tenant);
    expect(job.priority).toBe(0);
    const token = await createMember(db, await createTenant(db, 'FREE'));
    const org = await db
      .selectFrom('organization')
      .select('slug')
      .where('id', '=', tenant.orgId)
      .executeTakeFirstOrThrow();
    await server
      .client(token)
      .data('mutation($s: String!) { claimOrganization(slug: $s) { id } }', { s: org.slug });
    expect((await jobStatus(db, job.id)).priority).toBe(100);
    await server
      .client(server.adminToken)
      .data('mutation($id: UUID!) { cancelJob(id: $id) { id } }', { id: job.id });
  });
});

describe('transitions', () => {
  it('refuses what the state does not allow, and retries change nothing', async () => {
    const job = await submit(server, await createTenant(db, 'ENTERPRISE'));
    const claim = await api.claim();
    expect(claim?.job.id).toBe(job.id);
    expect((await api.complete(job.id, 0, [])).errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    expect((await api.heartbeat(job.id)).data.heartbeatJob.cancel).toBe(false);
    expect((await api.fail(job.id, 'CANCELED_BY_USER')).errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
    const failed = await api.fail(job.id, 'IMAGE_ERROR', 'manifest unknown');
    expect(failed.data.failJob).toMatchObject({
      status: 'FAILED',
      failureReason: 'IMAGE_ERROR',
      failureMessage: 'manifest unknown',
    });
    expect((await api.fail(job.id, 'IMAGE_ERROR')).data.failJob.status).toBe('FAILED');
    expect((await api.start(job.id)).errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    expect((await api.complete(job.id, 0, [])).errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    expect((await api.append(job.id, [{ seq: 0, text: 'x' }])).errors?.[0]?.extensions?.code).toBe(
      'INVALID_TRANSITION',
    );
    expect((await jobStatus(db, job.id)).billed_minutes).toBe(0);
  });

  it('refuses a runner failure reason that is the server’s to decide', async () => {
    const job = await submit(server, await createTenant(db, 'ENTERPRISE'));
    await claimAndStart(job.id);
    const result = await runner.client.request(
      'mutation($id: UUID!) { failJob(jobId: $id, reason: HEARTBEAT_TIMEOUT) { id } }',
      { id: job.id },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
    expect((await api.fail(job.id, 'RUNNER_ERROR')).data.failJob.status).toBe('FAILED');
    expect((await api.complete(job.id, 0, [])).errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
  });

  it('lets only the runner holding a job act on it', async () => {
    const job = await submit(server, await createTenant(db, 'ENTERPRISE'));
    await claimAndStart(job.id);
    for (const call of [
      other.start(job.id),
      other.append(job.id, [{ seq: 0, text: 'x' }]),
      other.heartbeat(job.id),
      other.complete(job.id, 0, []),
      other.fail(job.id, 'RUNNER_ERROR'),
    ]) {
      expect((await call).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const member = await createMember(db, await createTenant(db, 'TEAM'));
    expect(await server.client(member).errorCode('mutation { claimJob { job { id } } }')).toBe('FORBIDDEN');
    expect(await server.client(null).errorCode('mutation { claimJob { job { id } } }')).toBe(
      'UNAUTHENTICATED',
    );
    expect((await jobStatus(db, job.id)).status).toBe('RUNNING');
    await api.fail(job.id, 'RUNNER_ERROR');
  });
});

describe('cancel', () => {
  const cancel = (token: string | null, id: string) =>
    server
      .client(token)
      .request('mutation($id: UUID!) { cancelJob(id: $id) { status cancelRequested failureReason } }', {
        id,
      });

  it('cancels a pending job at once', async () => {
    const tenant = await createTenant(db, 'TEAM', { visibility: 'PRIVATE' });
    const job = await submit(server, tenant);
    expect((await cancel(null, job.id)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const stranger = await createMember(db, await createTenant(db, 'TEAM'));
    expect((await cancel(stranger, job.id)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const member = await createMember(db, tenant);
    expect((await cancel(member, job.id)).data.cancelJob).toEqual({
      status: 'CANCELED',
      cancelRequested: true,
      failureReason: 'CANCELED_BY_USER',
    });
    expect((await cancel(member, job.id)).data.cancelJob.status).toBe('CANCELED');
    expect(await api.claim()).toBeNull();
  });

  it('asks the runner of a running job to stop, and the runner confirms', async () => {
    const tenant = await createTenant(db, 'TEAM');
    const job = await submit(server, tenant);
    await claimAndStart(job.id);
    const viewer = await createMember(db, tenant);
    await db
      .updateTable('membership')
      .set({ role: 'VIEWER' })
      .where('organization_id', '=', tenant.orgId)
      .execute();
    expect((await cancel(viewer, job.id)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const member = await createMember(db, tenant);
    expect((await cancel(member, job.id)).data.cancelJob).toMatchObject({
      status: 'RUNNING',
      cancelRequested: true,
    });
    await vi.waitFor(() =>
      expect(published).toContainEqual({
        topic: 'job',
        jobId: job.id,
        projectId: tenant.projectId,
        status: 'RUNNING',
        cancel: true,
      }),
    );
    expect((await api.heartbeat(job.id)).data.heartbeatJob).toEqual({ cancel: true });
    const confirmed = await api.fail(job.id, 'CANCELED_BY_USER', 'killed');
    expect(confirmed.data.failJob).toMatchObject({
      status: 'CANCELED',
      failureReason: 'CANCELED_BY_USER',
      billedMinutes: 1,
    });
    expect((await cancel(member, job.id)).data.cancelJob.status).toBe('CANCELED');
  });

  it('answers a held heartbeat the moment a cancel is asked for', async () => {
    const tenant = await createTenant(db, 'TEAM');
    const job = await submit(server, tenant);
    await claimAndStart(job.id);
    // A beat lives on the job's lease while the job is in flight (migration 0022).
    const before = await db
      .selectFrom('job_lease')
      .select('beat_at')
      .where('job_id', '=', job.id)
      .executeTakeFirstOrThrow();
    const asked = Date.now();
    let answeredAt = 0;
    const held = api.heartbeat(job.id, 10).then((answer) => {
      answeredAt = Date.now();
      return answer;
    });
    // The beat is recorded at once, while its answer is held.
    await vi.waitFor(async () => {
      const row = await db
        .selectFrom('job_lease')
        .select('beat_at')
        .where('job_id', '=', job.id)
        .executeTakeFirstOrThrow();
      expect(row.beat_at.getTime()).toBeGreaterThan(before.beat_at.getTime());
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(answeredAt).toBe(0);
    await cancel(server.adminToken, job.id);
    expect((await held).data.heartbeatJob).toEqual({ cancel: true });
    // Woken by the cancel, not by the end of its 10 s wait.
    expect(answeredAt - asked).toBeLessThan(5_000);
    // Once asked, every beat says so at once, held or not.
    expect((await api.heartbeat(job.id, 10)).data.heartbeatJob).toEqual({ cancel: true });
    await api.fail(job.id, 'CANCELED_BY_USER', 'killed');
  });

  it('after a bus resync, a held heartbeat reads its job again (a cancel event may have been missed)', async () => {
    const tenant = await createTenant(db, 'TEAM');
    const job = await submit(server, tenant);
    await claimAndStart(job.id);
    let answered = false;
    const held = api.heartbeat(job.id, 10).then((answer) => {
      answered = true;
      return answer;
    });
    await new Promise((r) => setTimeout(r, 200));
    // A cancel whose event got lost: written behind the bus's back.
    await db.updateTable('job').set({ cancel_requested_at: new Date() }).where('id', '=', job.id).execute();
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false);
    (server.deps.events as any).fanout.resync();
    expect((await held).data.heartbeatJob).toEqual({ cancel: true });
    await api.fail(job.id, 'CANCELED_BY_USER', 'killed');
  });

  it('holds a heartbeat at most a third of the heartbeat timeout, then answers no cancel', async () => {
    const tenant = await createTenant(db, 'TEAM');
    const job = await submit(server, tenant);
    await claimAndStart(job.id);
    const { config } = server.deps;
    const timeout = config.heartbeatTimeoutSeconds;
    config.heartbeatTimeoutSeconds = 3;
    try {
      const asked = Date.now();
      expect((await api.heartbeat(job.id, 60)).data.heartbeatJob).toEqual({ cancel: false });
      const held = Date.now() - asked;
      expect(held).toBeGreaterThanOrEqual(900);
      expect(held).toBeLessThan(10_000);
    } finally {
      config.heartbeatTimeoutSeconds = timeout;
    }
    // Another runner's held beat is refused before it waits.
    expect((await other.heartbeat(job.id, 10)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await api.complete(job.id, 0, [{ iteration: 0, exitCode: 0, stdout: bmf(1) }]);
  });

  it('cannot cancel a finished job', async () => {
    const tenant = await createTenant(db, 'TEAM');
    const job = await submit(server, tenant);
    await claimAndStart(job.id);
    await api.complete(job.id, 0, [{ iteration: 0, exitCode: 0, stdout: bmf(1) }]);
    expect((await cancel(server.adminToken, job.id)).errors?.[0]?.extensions?.code).toBe(
      'INVALID_TRANSITION',
    );
  });
});
