import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphqlClient } from '../helpers/graphql-client.js';
import { bmf, jobView, pushImage, scriptLayers, type World, waitForJob } from '../runner/fixtures.js';
import {
  claim,
  complete,
  confirmationOutputs,
  reportAlerts,
  runByHand,
  start,
  submitRun,
  worldByHand,
} from './fixtures.js';

// The server's side of confirmation, with a runner played by hand through the runner API, so every
// transition is driven and observed exactly: the verdict state machine, the baseline choice, the
// confirmation job's life (cancel, death, repeated completion) and who may see it.

let world: World;
let runner: GraphqlClient;
/** Two images of the same (never run) script: only their digests matter here. */
let imageA: string;
let imageB: string;

beforeAll(async () => {
  ({ world, runner, imageA, imageB } = await worldByHand({
    heartbeatTimeoutSeconds: 3,
    sweepIntervalMs: 100,
  }));
});

const digestOf = async (reportId: string) => (await reportAlerts(world.admin, reportId)).imageDigest;

/** A branch whose history is one good run of image A (value 100); returns that run's report. */
async function history(branch: string, startPoint?: string): Promise<string> {
  const base = await submitRun(world, imageA, { branch, startPoint });
  expect(await runByHand(runner, base.jobId, 100)).toBe('PROCESSED');
  return base.reportId;
}

describe('confirmation: verdicts', () => {
  it('a regression is SUSPECTED, CONFIRMING while re-run, then CONFIRMED with its evidence; a repeat changes nothing', async () => {
    const baseReport = await history('confirmed');
    const head = await submitRun(world, imageB, { branch: 'confirmed' });
    expect(await runByHand(runner, head.jobId, 150)).toBe('PROCESSED');

    let report = await reportAlerts(world.admin, head.reportId);
    expect(report.alerts).toHaveLength(1);
    expect(report.alerts[0]).toMatchObject({
      side: 'UPPER',
      status: 'ACTIVE',
      verdict: 'SUSPECTED',
      active: true,
      baselineDigest: await digestOf(baseReport),
      baselineReport: { id: baseReport },
      evidence: null,
    });
    const confirmation = report.confirmation!;
    expect(confirmation).toMatchObject({ kind: 'CONFIRMATION', status: 'PENDING', config: { rounds: 5 } });
    expect(confirmation.config.arms!.map((a) => [a.name, a.digest])).toEqual([
      ['head', report.imageDigest],
      ['base', await digestOf(baseReport)],
    ]);
    // Like any job: its timeout is capped by its tier's maximum, which the run's default already is
    // (uncapped it would be the run's × 2 arms × 5 rounds + 60 s).
    const timeout = async (id: string) =>
      (
        await world.admin.data<{ job: { config: { timeoutSeconds: number } } }>(
          'query ($id: UUID!) { job(id: $id) { config { timeoutSeconds } } }',
          { id },
        )
      ).job.config.timeoutSeconds;
    expect(await timeout(confirmation.id)).toBe(await timeout(head.jobId));
    // Like any job: listed with the project's jobs.
    const jobs = await world.admin.data<{ jobs: { edges: Array<{ node: { id: string; kind: string } }> } }>(
      'query ($p: String!) { jobs(project: $p, first: 100) { edges { node { id kind } } } }',
      { p: world.project },
    );
    expect(jobs.jobs.edges.map((e) => e.node)).toContainEqual({ id: confirmation.id, kind: 'CONFIRMATION' });

    const claimed = await claim(runner, confirmation.id);
    expect(claimed.config).toMatchObject({ kind: 'CONFIRMATION', rounds: 5 });
    expect(claimed.pullToken).toBeTruthy();
    await start(runner, confirmation.id);
    report = await reportAlerts(world.admin, head.reportId);
    expect(report.alerts[0].verdict).toBe('CONFIRMING');

    // Head runs 50 % slower than base in every round.
    const outputs = confirmationOutputs(claimed, (round, arm) =>
      arm === 'head' ? 150 + round : 100 + round,
    );
    expect(await complete(runner, confirmation.id, outputs)).toBe('PROCESSED');
    report = await reportAlerts(world.admin, head.reportId);
    const [alert] = report.alerts;
    expect(alert).toMatchObject({ verdict: 'CONFIRMED', active: true });
    expect(alert.evidence).toMatchObject({
      test: 'MANN_WHITNEY',
      rounds: 5,
      head: [150, 151, 152, 153, 154],
      base: [100, 101, 102, 103, 104],
      baseDigest: await digestOf(baseReport),
    });
    // Every head value above every base value: the smallest p Mann–Whitney has at 5 + 5, 1/C(10,5).
    expect(alert.evidence!.pValue).toBeCloseTo(1 / 252, 12);
    expect(alert.evidence!.changePercent).toBeGreaterThan(40);
    expect(alert.evidence!.lowerPercent).toBeGreaterThan(0);

    // The runner's retry after a lost answer: same answer, nothing decided again.
    const before = await world.database.db
      .selectFrom('alert')
      .selectAll()
      .where('id', '=', alert.id)
      .executeTakeFirstOrThrow();
    expect(
      await complete(
        runner,
        confirmation.id,
        outputs.map((o) => ({ ...o, stdout: bmf('bench1', 1) })),
      ),
    ).toBe('PROCESSED');
    const after = await world.database.db
      .selectFrom('alert')
      .selectAll()
      .where('id', '=', alert.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('noise is CLEARED and no longer counts as active, but stays readable with its evidence', async () => {
    await history('cleared');
    const head = await submitRun(world, imageB, { branch: 'cleared' });
    expect(await runByHand(runner, head.jobId, 150)).toBe('PROCESSED');
    const { confirmation } = await reportAlerts(world.admin, head.reportId);
    const claimed = await claim(runner, confirmation!.id);
    await start(runner, confirmation!.id);
    // Both images alike: the single run's 150 was a fluke.
    const values = [100, 103, 98, 101, 99, 102];
    await complete(
      runner,
      confirmation!.id,
      confirmationOutputs(claimed, (round, arm) => values[round + (arm === 'head' ? 1 : 0)]),
    );
    const [alert] = (await reportAlerts(world.admin, head.reportId)).alerts;
    expect(alert).toMatchObject({ verdict: 'CLEARED', status: 'ACTIVE', active: false });
    expect(alert.evidence!.pValue).toBeGreaterThan(0.05);
    const ids = async (filter: string) =>
      (
        await world.admin.data<{ alerts: { edges: Array<{ node: { id: string } }> } }>(
          `query ($p: String!) { alerts(project: $p, ${filter}, first: 100) { edges { node { id } } } }`,
          { p: world.project },
        )
      ).alerts.edges.map((e) => e.node.id);
    expect(await ids('status: ACTIVE')).not.toContain(alert.id);
    expect(await ids('verdict: CLEARED')).toContain(alert.id);
  });

  it('a canceled confirmation leaves its alerts CONFIRMATION_FAILED', async () => {
    await history('canceled');
    const head = await submitRun(world, imageB, { branch: 'canceled' });
    await runByHand(runner, head.jobId, 150);
    const { confirmation } = await reportAlerts(world.admin, head.reportId);
    await world.admin.data('mutation ($id: UUID!) { cancelJob(id: $id) { status } }', {
      id: confirmation!.id,
    });
    const [alert] = (await reportAlerts(world.admin, head.reportId)).alerts;
    expect(alert).toMatchObject({ verdict: 'CONFIRMATION_FAILED', active: true });
  });

  it('a runner that dies mid-confirmation leaves its alerts CONFIRMATION_FAILED once the sweeper fails the job', async () => {
    await history('death');
    const head = await submitRun(world, imageB, { branch: 'death' });
    await runByHand(runner, head.jobId, 150);
    const { confirmation } = await reportAlerts(world.admin, head.reportId);
    await claim(runner, confirmation!.id);
    await start(runner, confirmation!.id);
    expect((await reportAlerts(world.admin, head.reportId)).alerts[0].verdict).toBe('CONFIRMING');
    // No more heartbeats: the sweeper fails it after the heartbeat timeout.
    const job = await waitForJob(world, confirmation!.id);
    expect(job).toMatchObject({ status: 'FAILED', failureReason: 'HEARTBEAT_TIMEOUT' });
    expect((await reportAlerts(world.admin, head.reportId)).alerts[0].verdict).toBe('CONFIRMATION_FAILED');
  });
});

describe('confirmation: the baseline image', () => {
  it('the first image run of a branch: UNCONFIRMABLE, and no confirmation job', async () => {
    // A static limit needs no history, so the branch's very first run can alert.
    const head = await submitRun(world, imageB, {
      branch: 'first-run',
      thresholds: [{ measure: 'latency', test: 'STATIC', upperBoundary: 120 }],
    });
    await runByHand(runner, head.jobId, 150);
    const report = await reportAlerts(world.admin, head.reportId);
    expect(report.alerts[0]).toMatchObject({ verdict: 'UNCONFIRMABLE', active: true, baselineDigest: null });
    expect(report.confirmation).toBeNull();
  });

  it('a new branch is confirmed against its start point’s image', async () => {
    const baseReport = await history('sp-main');
    const head = await submitRun(world, imageB, { branch: 'sp-feature', startPoint: 'sp-main' });
    await runByHand(runner, head.jobId, 150);
    const report = await reportAlerts(world.admin, head.reportId);
    expect(report.alerts[0]).toMatchObject({ verdict: 'SUSPECTED', baselineReport: { id: baseReport } });
    await world.admin.data('mutation ($id: UUID!) { cancelJob(id: $id) { status } }', {
      id: report.confirmation!.id,
    });
  });

  it('skips an alerting run: the baseline is the newest run that did not alert', async () => {
    const good = await history('skip');
    const bad = await submitRun(world, imageB, { branch: 'skip', confirmRounds: 0 });
    await runByHand(runner, bad.jobId, 150);
    expect((await reportAlerts(world.admin, bad.reportId)).alerts[0].verdict).toBe('UNCONFIRMABLE');
    const head = await submitRun(world, imageB, { branch: 'skip' });
    await runByHand(runner, head.jobId, 200);
    const report = await reportAlerts(world.admin, head.reportId);
    expect(report.alerts[0]).toMatchObject({ verdict: 'SUSPECTED', baselineReport: { id: good } });
    await world.admin.data('mutation ($id: UUID!) { cancelJob(id: $id) { status } }', {
      id: report.confirmation!.id,
    });
  });

  it('a deleted baseline image: UNCONFIRMABLE', async () => {
    const image = await pushImage(world, scriptLayers(`echo '${bmf('bench1', 3)}'\n`));
    const base = await submitRun(world, image, { branch: 'deleted' });
    await runByHand(runner, base.jobId, 100);
    const digest = await digestOf(base.reportId);
    const host = new URL(world.server.url).host;
    await promisify(execFile)('skopeo', [
      'delete',
      '--tls-verify=false',
      '--creds',
      `admin:${world.server.adminToken}`,
      `docker://${host}/${image.split(':')[0]}@${digest}`,
    ]);
    const head = await submitRun(world, imageB, { branch: 'deleted' });
    await runByHand(runner, head.jobId, 150);
    const report = await reportAlerts(world.admin, head.reportId);
    expect(report.alerts[0]).toMatchObject({ verdict: 'UNCONFIRMABLE', baselineDigest: null });
    expect(report.confirmation).toBeNull();
  });

  it('--no-confirm (0 rounds) leaves the alert UNCONFIRMABLE', async () => {
    await history('off');
    const head = await submitRun(world, imageB, { branch: 'off', confirmRounds: 0 });
    await runByHand(runner, head.jobId, 150);
    const report = await reportAlerts(world.admin, head.reportId);
    expect(report.alerts[0].verdict).toBe('UNCONFIRMABLE');
    expect(report.confirmation).toBeNull();
  });
});

describe('confirmation: access', () => {
  it('a private project’s confirmation job and evidence are private', async () => {
    await history('private');
    const head = await submitRun(world, imageB, { branch: 'private' });
    await runByHand(runner, head.jobId, 150);
    const report = await reportAlerts(world.admin, head.reportId);
    const stranger = world.server.client(null);
    expect(
      await stranger.errorCode('query ($id: UUID!) { job(id: $id) { id } }', { id: report.confirmation!.id }),
    ).toBe('NOT_FOUND');
    expect(
      await stranger.errorCode('query ($id: UUID!) { alert(id: $id) { evidence { pValue } } }', {
        id: report.alerts[0].id,
      }),
    ).toBe('NOT_FOUND');
    await world.admin.data('mutation ($id: UUID!) { cancelJob(id: $id) { status } }', {
      id: report.confirmation!.id,
    });
    expect((await jobView(world, report.confirmation!.id)).status).toBe('CANCELED');
  });
});

describe('confirmation: project settings', () => {
  const SETTINGS =
    'query ($p: String!) { project(slug: $p) { confirmRounds confirmAlpha confirmMinEffect } }';
  const UPDATE = `mutation ($p: String!, $i: UpdateProjectInput!) {
    updateProject(project: $p, input: $i) { confirmRounds confirmAlpha confirmMinEffect } }`;

  it('refuses rounds, alpha or minimum effect out of range with BAD_INPUT and a hint, changing nothing', async () => {
    const before = await world.admin.data(SETTINGS, { p: world.project });
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ confirmRounds: 31 }, 'confirmRounds', /0 to turn confirmation off/],
      [{ confirmRounds: -1 }, 'confirmRounds', /from 0 to 30/],
      [{ confirmAlpha: 0.5 }, 'confirmAlpha', /default 0\.05/],
      [{ confirmAlpha: 0 }, 'confirmAlpha', /above 0/],
      [{ confirmMinEffect: -1 }, 'confirmMinEffect', /e\.g\. 1 for 1 %/],
      [{ confirmMinEffect: 1001 }, 'confirmMinEffect', /0 to 1000/],
      // One bad setting beside good ones: none of them is saved.
      [{ confirmRounds: 9, confirmMinEffect: 2, confirmAlpha: 1 }, 'confirmAlpha', /below 0\.5/],
    ];
    for (const [input, field, hint] of cases) {
      const { errors } = await world.admin.request(UPDATE, { p: world.project, i: input });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_INPUT', field });
      expect(errors?.[0]?.message).toMatch(hint);
    }
    expect(await world.admin.data(SETTINGS, { p: world.project })).toEqual(before);
    const saved = await world.admin.data<{ updateProject: unknown }>(UPDATE, {
      p: world.project,
      i: { confirmRounds: 9, confirmAlpha: 0.01, confirmMinEffect: 2 },
    });
    expect(saved.updateProject).toEqual({ confirmRounds: 9, confirmAlpha: 0.01, confirmMinEffect: 2 });
    await world.admin.data(UPDATE, {
      p: world.project,
      i: (before as { project: Record<string, unknown> }).project,
    });
  });
});
