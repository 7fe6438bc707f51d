import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import type { GraphqlClient } from '../helpers/graphql-client.js';
import { bmf, type World } from '../runner/fixtures.js';
import { complete, reportAlerts, submitRun, worldByHand } from './fixtures.js';

// Two runners of one spec on real PostgreSQL, each with the noise its probe reported through
// startJob: a confirmation is left to the quiet runner while it is idle, and taken by the noisy
// one when the quiet one is busy (a confirmation is never stranded).

let world: World;
let noisy: GraphqlClient;
let quiet: GraphqlClient;
let imageA: string;
let imageB: string;

beforeAll(async () => {
  // No tier concurrency limit: both runners may hold a job of the one organization at once.
  const defaults = loadConfig({ DATABASE_URL: 'postgres://unused' }).tiers;
  const tiers = Object.fromEntries(
    Object.entries(defaults).map(([tier, settings]) => [tier, { ...settings, concurrency: null }]),
  ) as typeof defaults;
  ({ world, runner: noisy, imageA, imageB } = await worldByHand({ tiers }));
  const { createRunner } = await world.admin.data<{ createRunner: { key: string } }>(
    'mutation ($n: String!, $s: [String!]!) { createRunner(name: $n, specs: $s) { key } }',
    { n: 'quiet-runner', s: [world.specs.closed] },
  );
  quiet = world.server.client(createRunner.key);
});

const CLAIM = 'mutation { claimJob(waitSeconds: 0) { job { id kind } } }';
const claimNow = async (runner: GraphqlClient) =>
  (await runner.data<{ claimJob: { job: { id: string; kind: string } } | null }>(CLAIM)).claimJob?.job ??
  null;

/** Claims the run job `jobId`, starts it reporting a probe CV, and completes it with bench1 = value. */
async function runWithNoise(runner: GraphqlClient, jobId: string, cvPct: number, value: number) {
  expect(await claimNow(runner)).toMatchObject({ id: jobId });
  await runner.data('mutation ($id: UUID!, $n: NoiseInput!) { startJob(jobId: $id, noise: $n) { id } }', {
    id: jobId,
    n: { cvPct },
  });
  expect(await complete(runner, jobId, [{ iteration: 0, stdout: bmf('bench1', value) }])).toBe('PROCESSED');
}

/** A branch's good run then a regression: returns the regression's confirmation job id. */
async function regression(branch: string, headRunner: GraphqlClient, headCv: number): Promise<string> {
  const base = await submitRun(world, imageA, { branch });
  await runWithNoise(noisy, base.jobId, 20, 100);
  const head = await submitRun(world, imageB, { branch });
  await runWithNoise(headRunner, head.jobId, headCv, 150);
  const { confirmation } = await reportAlerts(world.admin, head.reportId);
  expect(confirmation).toMatchObject({ kind: 'CONFIRMATION', status: 'PENDING' });
  return confirmation!.id;
}

describe('confirmation: the claim prefers a quiet runner', () => {
  it('a noisy runner does not take a confirmation while a quiet one is idle; the quiet one does', async () => {
    // The noisy runner's latest probe: CV 20 %; the quiet one's: 1 %.
    const confirmation = await regression('quiet-idle', quiet, 1);
    expect(await claimNow(noisy)).toBeNull();
    expect(await claimNow(quiet)).toMatchObject({ id: confirmation, kind: 'CONFIRMATION' });
  });

  it('a noisy runner takes it when the quiet one is busy, and takes run jobs as ever', async () => {
    // The quiet runner still holds the first test's confirmation (CLAIMED): it is not idle.
    const confirmation = await regression('quiet-busy', noisy, 20);
    expect(await claimNow(noisy)).toMatchObject({ id: confirmation, kind: 'CONFIRMATION' });
  });
});
