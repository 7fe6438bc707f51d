import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRunner } from '../../src/runner/main.js';
import { pushImage, scriptLayers, storedLog, type World, waitForJob } from '../runner/fixtures.js';
import { reportAlerts, submitRun, worldWithRunner } from './fixtures.js';

// A real runner (bwrap sandbox) runs a confirmation: both images on one runner, in one job, every
// round running each arm once, the arms' order drawn per round, and the verdict from their outputs.

let world: World;
let runner: RunningRunner;

beforeAll(async () => {
  ({ world, runner } = await worldWithRunner());
});

afterAll(async () => {
  await runner?.stop({ graceMs: 0 });
});

/** An image that says who it is on stderr and reports `value` for bench1. */
const image = (who: string, value: number) =>
  pushImage(
    world,
    scriptLayers(`echo 'I am ${who}' >&2\necho '{"bench1": {"latency": {"value": ${value}}}}'\n`),
  );

describe('confirmation on a real runner', () => {
  it('runs the head and baseline images interleaved on one runner and confirms the regression', async () => {
    const base = await submitRun(world, await image('base', 100), { branch: 'e2e' });
    expect((await waitForJob(world, base.jobId)).status).toBe('PROCESSED');
    const head = await submitRun(world, await image('head', 150), { branch: 'e2e', confirmRounds: 6 });
    expect((await waitForJob(world, head.jobId)).status).toBe('PROCESSED');

    const report = await reportAlerts(world.admin, head.reportId);
    expect(report.alerts[0].verdict).toMatch(/SUSPECTED|CONFIRMING/);
    const confirmation = await waitForJob(world, report.confirmation!.id);
    expect(confirmation).toMatchObject({ status: 'PROCESSED', exitCode: 0 });
    // Six rounds × two arms, each its own output.
    expect(confirmation.outputs.map((o) => o.iteration)).toEqual([...Array(12).keys()]);

    // The log: per round a marker per arm, each followed by that image's own output.
    const log = (await storedLog(world, confirmation.id)).stderr.toString('utf8').trim().split('\n');
    const steps: Array<{ round: number; arm: string; said: string }> = [];
    for (let i = 0; i < log.length; i += 2) {
      const marker = /^── round (\d+)\/6 · arm (head|base) ──$/.exec(log[i]);
      expect(marker, log[i]).not.toBeNull();
      steps.push({ round: Number(marker![1]), arm: marker![2], said: log[i + 1] });
    }
    expect(steps).toHaveLength(12);
    for (const step of steps) expect(step.said).toBe(`I am ${step.arm}`);
    for (let round = 1; round <= 6; round++) {
      expect(
        steps
          .filter((s) => s.round === round)
          .map((s) => s.arm)
          .sort(),
      ).toEqual(['base', 'head']);
    }
    // Rounds run in order, each round's two arms back to back.
    expect(steps.map((s) => s.round)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);

    const [alert] = (await reportAlerts(world.admin, head.reportId)).alerts;
    expect(alert.verdict).toBe('CONFIRMED');
    expect(alert.evidence).toMatchObject({ head: Array(6).fill(150), base: Array(6).fill(100), rounds: 6 });
    expect(alert.evidence!.changePercent).toBeCloseTo(50, 6);
  });
});
