import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphqlClient } from '../helpers/graphql-client.js';
import type { World } from '../runner/fixtures.js';
import { reportAlerts, runByHand, submitRun, worldByHand } from './fixtures.js';

// How many rounds a confirmation gets from its alerts' own series: the same +50 % alert on a quiet
// series and on a noisy one. Played by hand through the runner API (the rounds are fixed when the
// confirmation is queued; nothing needs to run).

let world: World;
let runner: GraphqlClient;
let imageA: string;
let imageB: string;

beforeAll(async () => {
  ({ world, runner, imageA, imageB } = await worldByHand());
});

async function roundsAfter(branch: string, historyValues: number[], head: number): Promise<number> {
  for (const value of historyValues) {
    const run = await submitRun(world, imageA, { branch });
    expect(await runByHand(runner, run.jobId, value)).toBe('PROCESSED');
  }
  const run = await submitRun(world, imageB, { branch });
  expect(await runByHand(runner, run.jobId, head)).toBe('PROCESSED');
  const report = await reportAlerts(world.admin, run.reportId);
  expect(report.alerts.map((a: { verdict: string }) => a.verdict)).toEqual(['SUSPECTED']);
  return Number(report.confirmation?.config.rounds);
}

describe('confirmation rounds from the series’ noise', () => {
  it('a noisy series gets more rounds than a quiet one for the same change, within the maximum', async () => {
    // Both means are 100; the head is +50 %, far past the 10 % gate on either.
    const quiet = await roundsAfter('quiet-series', [100, 101, 99, 100, 100, 101, 99], 150);
    const noisy = await roundsAfter('noisy-series', [100, 140, 65, 130, 70, 135, 60], 150);
    expect(quiet).toBe(5); // the asked rounds: a quiet +50 % needs no more
    expect(noisy).toBeGreaterThan(quiet);
    expect(noisy).toBeLessThanOrEqual(30);
  });

  it('a history too short to tell keeps the asked rounds', async () => {
    expect(await roundsAfter('short-series', [100, 140], 250)).toBe(5);
  });
});
