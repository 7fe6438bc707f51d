import type { RunningRunner } from '../../src/runner/main.js';
import type { GraphqlClient } from '../helpers/graphql-client.js';
import {
  bmf,
  pushImage,
  scriptLayers,
  startWorld,
  startWorldRunner,
  type World,
} from '../runner/fixtures.js';

export const THRESHOLD = [{ measure: 'latency', test: 'PERCENTAGE', upperBoundary: 0.1 }];

export const ALERTS = `query ($id: UUID!) { report(id: $id) {
  id imageDigest
  confirmation { id kind status config { rounds arms { name repository digest } } }
  alerts { id side status verdict active baselineDigest baselineReport { id }
    evidence { test pValue adjustedPValue changePercent lowerPercent upperPercent rounds head base baseDigest } }
} }`;

export interface AlertShape {
  id: string;
  side: string;
  status: string;
  verdict: string;
  active: boolean;
  baselineDigest: string | null;
  baselineReport: { id: string } | null;
  evidence: {
    test: string;
    pValue: number;
    adjustedPValue: number;
    changePercent: number;
    lowerPercent: number | null;
    upperPercent: number | null;
    rounds: number;
    head: number[];
    base: number[];
    baseDigest: string;
  } | null;
}

export interface ReportShape {
  id: string;
  imageDigest: string | null;
  confirmation: {
    id: string;
    kind: string;
    status: string;
    config: {
      rounds: number | null;
      arms: Array<{ name: string; repository: string; digest: string }> | null;
    };
  } | null;
  alerts: AlertShape[];
}

export async function reportAlerts(client: GraphqlClient, reportId: string): Promise<ReportShape> {
  return (await client.data<{ report: ReportShape }>(ALERTS, { id: reportId })).report;
}

export interface RunOptions {
  branch?: string;
  startPoint?: string;
  confirmRounds?: number;
  iterations?: number;
  thresholds?: Array<Record<string, unknown>>;
}

/** createRun of an image on the world's closed spec, testbed ci, with the percentage threshold. */
export async function submitRun(
  world: World,
  image: string,
  options: RunOptions = {},
): Promise<{ jobId: string; reportId: string }> {
  const data = await world.admin.data<{ createRun: { job: { id: string }; report: { id: string } } }>(
    'mutation ($input: CreateRunInput!) { createRun(input: $input) { job { id } report { id } } }',
    {
      input: {
        project: world.project,
        branch: options.branch ?? 'main',
        startPoint: options.startPoint,
        testbed: 'ci',
        adapter: 'json',
        iterations: options.iterations,
        thresholds: options.thresholds ?? THRESHOLD,
        job: { spec: world.specs.closed, image, confirmRounds: options.confirmRounds },
      },
    },
  );
  return { jobId: data.createRun.job.id, reportId: data.createRun.report.id };
}

const CLAIM = `mutation { claimJob(waitSeconds: 5) { job { id kind } pullToken
  config { kind rounds iterations digest arms { name repository digest } } } }`;

export interface Claimed {
  job: { id: string; kind: string };
  pullToken: string | null;
  config: {
    kind: string;
    rounds: number | null;
    iterations: number;
    digest: string;
    arms: Array<{ name: string; repository: string; digest: string }> | null;
  };
}

/**
 * Acts as a runner by hand: claims jobs until it gets `jobId`. Another job left queued by an
 * earlier (failed) test is failed on the way, so one test's leftovers do not fail the next.
 */
export async function claim(runner: GraphqlClient, jobId: string): Promise<Claimed> {
  for (;;) {
    const data = await runner.data<{ claimJob: Claimed | null }>(CLAIM);
    if (!data.claimJob) throw new Error(`job ${jobId} was not claimable`);
    if (data.claimJob.job.id === jobId) return data.claimJob;
    await runner.data('mutation ($id: UUID!) { failJob(jobId: $id, reason: RUNNER_ERROR) { id } }', {
      id: data.claimJob.job.id,
    });
  }
}

export async function start(runner: GraphqlClient, jobId: string): Promise<void> {
  await runner.data('mutation ($id: UUID!) { startJob(jobId: $id) { id } }', { id: jobId });
}

export async function complete(
  runner: GraphqlClient,
  jobId: string,
  outputs: Array<{ iteration: number; stdout: string }>,
): Promise<string> {
  const data = await runner.data<{ completeJob: { status: string } }>(
    'mutation ($id: UUID!, $outputs: [JobOutputInput!]!) { completeJob(jobId: $id, exitCode: 0, outputs: $outputs) { status } }',
    { id: jobId, outputs: outputs.map((o) => ({ ...o, exitCode: 0, files: {} })) },
  );
  return data.completeJob.status;
}

/** A run job claimed, started and completed by hand with one value of bench1. */
export async function runByHand(runner: GraphqlClient, jobId: string, value: number): Promise<string> {
  await claim(runner, jobId);
  await start(runner, jobId);
  return complete(runner, jobId, [{ iteration: 0, stdout: bmf('bench1', value) }]);
}

/** A confirmation's outputs: `values(round, armName)` per round and arm, numbered as the server reads them. */
export function confirmationOutputs(
  claimed: Claimed,
  values: (round: number, arm: string) => number,
): Array<{ iteration: number; stdout: string }> {
  const arms = claimed.config.arms ?? [];
  const out: Array<{ iteration: number; stdout: string }> = [];
  for (let round = 0; round < (claimed.config.rounds ?? 0); round++) {
    arms.forEach((arm, a) => {
      out.push({ iteration: round * arms.length + a, stdout: bmf('bench1', values(round, arm.name)) });
    });
  }
  return out;
}

/** A world with a real runner (bwrap) serving it, one job at a time; stop the runner after the tests. */
export async function worldWithRunner(): Promise<{ world: World; runner: RunningRunner }> {
  const world = await startWorld();
  const runner = await startWorldRunner(world, { concurrency: 1 });
  return { world, runner };
}

/**
 * A world whose runner is played by hand through the runner API (`runner`), with two images of
 * bench1 whose digests are all that matter (their runs are completed by hand).
 */
export async function worldByHand(
  ...args: Parameters<typeof startWorld>
): Promise<{ world: World; runner: GraphqlClient; imageA: string; imageB: string }> {
  const world = await startWorld(...args);
  return {
    world,
    runner: world.server.client(world.runnerKey),
    imageA: await pushImage(world, scriptLayers(`echo '${bmf('bench1', 1)}'\n`)),
    imageB: await pushImage(world, scriptLayers(`echo '${bmf('bench1', 2)}'\n`)),
  };
}
