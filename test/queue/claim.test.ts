import { describe, expect, it } from 'vitest';
import { CLAIM_JOB } from '../../src/runner/operations.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { WINDOW } from '../../src/server/queue/find-candidate.js';
import { startTestServer } from '../helpers/server.js';
import {
  createRunner,
  createSpec,
  createTenant,
  insertPendingJobs,
  jobStatus,
  runnerApi,
  submit,
} from './fixtures.js';

const server = await startTestServer({ extensions: [queueExtension({ sweeperTimer: false })] });
const { db } = server.database;
await createSpec(db, 'cl-x86', true);
const armId = await createSpec(db, 'cl-arm');
const both = runnerApi((await createRunner(server, ['cl-x86', 'cl-arm'])).client);
const armOnly = runnerApi((await createRunner(server, ['cl-arm'])).client);

const drain = () =>
  db.updateTable('job').set({ status: 'CANCELED' }).where('status', '=', 'PENDING').execute();

describe('claim', () => {
  it('gives a runner only jobs of the specs it serves and asked for', async () => {
    const tenant = await createTenant(db, 'ENTERPRISE');
    const x86 = await submit(server, tenant);
    expect(await armOnly.claim()).toBeNull();
    expect(await both.claim(['cl-arm'])).toBeNull();
    const arm = await submit(server, tenant, { spec: 'cl-arm' });
    expect(arm.spec_id).toBe(armId);
    expect((await armOnly.claim())?.job.id).toBe(arm.id);
    expect((await both.claim(['cl-x86']))?.job.id).toBe(x86.id);
    await expect(armOnly.claim(['cl-x86'])).rejects.toThrow(/BAD_INPUT.*does not serve/);
  });

  it("sees a change of the runner's specs at once, though it remembers them between claims", async () => {
    const tenant = await createTenant(db, 'ENTERPRISE');
    const runner = await createRunner(server, ['cl-x86']);
    const api = runnerApi(runner.client);
    expect(await api.claim()).toBeNull();
    const arm = await submit(server, tenant, { spec: 'cl-arm' });
    expect(await api.claim()).toBeNull();
    const { slug } = await db
      .selectFrom('runner')
      .select('slug')
      .where('id', '=', runner.id)
      .executeTakeFirstOrThrow();
    await server
      .client(server.adminToken)
      .data('mutation($slug: String!) { updateRunner(slug: $slug, specs: ["cl-x86", "cl-arm"]) { id } }', {
        slug,
      });
    expect((await api.claim())?.job.id).toBe(arm.id);
  });

  it('answers with the spec as it is at the claim, not as it was when the long-poll began', async () => {
    const tenant = await createTenant(db, 'ENTERPRISE');
    const specId = await createSpec(db, `cl-net-${Date.now()}`);
    const { slug } = await db
      .selectFrom('spec')
      .select('slug')
      .where('id', '=', specId)
      .executeTakeFirstOrThrow();
    const runner = await createRunner(server, [slug]);
    const waiting = runner.client.data(CLAIM_JOB, { waitSeconds: 10 });
    await new Promise((r) => setTimeout(r, 200));
    // The job is sandboxed by this flag: a change made while the runner waited must reach it.
    await db.updateTable('spec').set({ network: true }).where('id', '=', specId).execute();
    const job = await submit(server, tenant, { spec: slug });
    const answer = await waiting;
    expect(answer.claimJob.job).toEqual({
      id: job.id,
      status: 'CLAIMED',
      spec: expect.objectContaining({ network: true }),
    });
  });

  it('claims by priority, then age', async () => {
    const free = await submit(server, await createTenant(db, 'FREE'));
    const team1 = await submit(server, await createTenant(db, 'TEAM'));
    const team2 = await submit(server, await createTenant(db, 'TEAM'));
    const enterprise = await submit(server, await createTenant(db, 'ENTERPRISE'));
    const unclaimed = await submit(server, await createTenant(db, 'UNCLAIMED'), { sourceIp: '198.51.100.9' });
    const order = [];
    for (let i = 0; i < 5; i++) order.push((await both.claim())?.job.id);
    expect(order).toEqual([enterprise.id, team1.id, team2.id, free.id, unclaimed.id]);
  });

  it('claims in one order across all the specs a runner serves, and within its one spec', async () => {
    const team = await createTenant(db, 'TEAM');
    const enterprise = await createTenant(db, 'ENTERPRISE');
    const teamArm = await submit(server, team, { spec: 'cl-arm' });
    const teamX86 = await submit(server, team);
    const enterpriseX86 = await submit(server, enterprise);
    const enterpriseArm = await submit(server, enterprise, { spec: 'cl-arm' });
    const x86Later = await submit(server, enterprise);
    // One spec (an equality on job_pending): arm's jobs in their order, x86's ahead of them untouched.
    expect((await armOnly.claim())?.job.id).toBe(enterpriseArm.id);
    // Several (job_pending_order): priority, then age, whatever the spec.
    const order = [];
    for (let i = 0; i < 4; i++) order.push((await both.claim())?.job.id);
    expect(order).toEqual([enterpriseX86.id, x86Later.id, teamArm.id, teamX86.id]);
  });

  it('steps over backlogs of keys at their limit, more than it reads in order, keeping claim order', async () => {
    await drain();
    const free = await createTenant(db, 'FREE');
    const unclaimed = await createTenant(db, 'UNCLAIMED');
    const heldOrg = await submit(server, free);
    const heldIp = await submit(server, unclaimed, { sourceIp: '192.0.2.60' });
    expect((await both.claim())?.job.id).toBe(heldOrg.id);
    expect((await both.claim())?.job.id).toBe(heldIp.id);
    // Both keys now at their limit of one, with more jobs behind them than a claim reads in order.
    const specId = heldOrg.spec_id;
    await insertPendingJobs(db, free, specId, WINDOW + 6, { priority: 100 });
    await insertPendingJobs(db, unclaimed, specId, 8, { priority: 0, sourceIp: '192.0.2.60' });
    const otherIp = await submit(server, await createTenant(db, 'UNCLAIMED'), { sourceIp: '192.0.2.61' });
    const otherOrg = await submit(server, await createTenant(db, 'FREE'));
    expect((await both.claim())?.job.id).toBe(otherOrg.id);
    expect((await both.claim())?.job.id).toBe(otherIp.id);
    expect(await both.claim()).toBeNull();
    for (const job of [heldOrg, heldIp, otherIp, otherOrg]) await both.fail(job.id, 'RUNNER_ERROR');
    await drain();
  });

  it('holds FREE organizations to one job in flight, and wakes a waiting runner when it ends', async () => {
    const tenant = await createTenant(db, 'FREE');
    const first = await submit(server, tenant);
    const second = await submit(server, tenant);
    const claimed = await both.claim();
    expect(claimed?.job.id).toBe(first.id);
    expect(await both.claim()).toBeNull();
    const waiting = armOnly.claim(null, 0); // serves another spec: unaffected
    expect(await waiting).toBeNull();
    const blocked = both.claim(null, 20);
    await new Promise((r) => setTimeout(r, 150));
    expect((await jobStatus(db, second.id)).status).toBe('PENDING');
    await both.fail(first.id, 'RUNNER_ERROR');
    expect((await blocked)?.job.id).toBe(second.id);
    await both.fail(second.id, 'RUNNER_ERROR');
  });

  it('holds unclaimed callers to one job in flight per source IP, across organizations', async () => {
    const a = await submit(server, await createTenant(db, 'UNCLAIMED'), { sourceIp: '192.0.2.7' });
    const b = await submit(server, await createTenant(db, 'UNCLAIMED'), { sourceIp: '192.0.2.7' });
    const c = await submit(server, await createTenant(db, 'UNCLAIMED'), { sourceIp: '192.0.2.8' });
    expect((await both.claim())?.job.id).toBe(a.id);
    expect((await both.claim())?.job.id).toBe(c.id);
    expect(await both.claim()).toBeNull();
    await both.fail(a.id, 'RUNNER_ERROR');
    expect((await both.claim())?.job.id).toBe(b.id);
    for (const id of [b.id, c.id]) await both.fail(id, 'RUNNER_ERROR');
  });

  it('lets TEAM organizations run eight at once', async () => {
    const tenant = await createTenant(db, 'TEAM');
    for (let i = 0; i < 9; i++) await submit(server, tenant);
    const claimed = [];
    for (let i = 0; i < 9; i++) {
      const claim = await both.claim();
      if (claim) claimed.push(claim.job.id);
    }
    expect(claimed).toHaveLength(8);
    for (const id of claimed) await both.fail(id, 'RUNNER_ERROR');
    await drain();
  });

  it('long-polls: a job submitted while the runner waits is delivered to it', async () => {
    const waiting = armOnly.claim(['cl-arm'], 20);
    await new Promise((r) => setTimeout(r, 150));
    const job = await submit(server, await createTenant(db, 'TEAM'), { spec: 'cl-arm' });
    expect((await waiting)?.job.id).toBe(job.id);
    await armOnly.fail(job.id, 'RUNNER_ERROR');
  });

  it('answers null when nothing comes within waitSeconds', async () => {
    expect(await armOnly.claim(null, 1)).toBeNull();
  });

  it('after a bus resync, waiting runners look once (events may have been missed)', async () => {
    const waiting = armOnly.claim(null, 20);
    await new Promise((r) => setTimeout(r, 150));
    // A job whose event got lost: inserted behind the bus's back.
    const [lost] = await insertPendingJobs(db, await createTenant(db, 'TEAM'), armId, 1, { priority: 200 });
    await new Promise((r) => setTimeout(r, 100));
    (server.deps.events as any).fanout.resync();
    expect((await waiting)?.job.id).toBe(lost);
  });
});
