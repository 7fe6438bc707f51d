import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { benchmarkCores } from '../../src/runner/executors/limits.js';
import { findExecutable } from '../../src/runner/executors/probe.js';
import { startRunner } from '../../src/runner/main.js';
import { probeBeforeJob } from '../../src/runner/noise/job-probe.js';
import { CLI_ARGV } from '../helpers/cli-argv.js';
import { bmf, pushImage, scriptLayers, startWorld, submit, type World, waitForJob } from './fixtures.js';

const run = promisify(execFile);
let world: World;
let image: string;
let runnerSlug: string;

const NOISE = 'noise { cvPct stealPct load involuntaryContextSwitches probeMs truncated tuning }';

beforeAll(async () => {
  world = await startWorld();
  image = await pushImage(world, scriptLayers(`echo '${bmf('probed', 3)}'\n`));
  const data = await world.admin.data<{ runners: { edges: Array<{ node: { slug: string } }> } }>(
    'query { runners(first: 100) { edges { node { slug } } } }',
  );
  runnerSlug = data.runners.edges.at(-1)!.node.slug;
});

describe('noise travels with the job', { timeout: 120_000 }, () => {
  it('refuses an impossible noise report with BAD_INPUT and leaves the job as it was', async () => {
    const runner = world.server.client(world.runnerKey);
    const { jobId } = await submit(world, { image });
    const claim = await runner.data<{ claimJob: { job: { id: string } } }>(
      'mutation { claimJob(waitSeconds: 5) { job { id } } }',
    );
    expect(claim.claimJob.job.id).toBe(jobId);
    const start = `mutation ($id: UUID!, $noise: NoiseInput) { startJob(jobId: $id, noise: $noise) { status ${NOISE} } }`;
    for (const noise of [
      { cvPct: -1 },
      { cvPct: 1e9 },
      { cvPct: 1, stealPct: 101 },
      { cvPct: 1, load: -0.5 },
      { cvPct: 1, tuning: ['Bad Knob!'] },
      { cvPct: 1, tuning: Array.from({ length: 17 }, (_, i) => `k${i}`) },
    ]) {
      expect(await runner.errorCode(start, { id: jobId, noise }), JSON.stringify(noise)).toBe('BAD_INPUT');
    }
    const view = await world.admin.data<{ job: { status: string; noise: unknown } }>(
      `query ($id: UUID!) { job(id: $id) { status ${NOISE} } }`,
      { id: jobId },
    );
    expect(view.job).toEqual({ status: 'CLAIMED', noise: null });

    const started = await runner.data<{ startJob: { status: string; noise: unknown } }>(start, {
      id: jobId,
      noise: {
        cvPct: 1.5,
        stealPct: 0.5,
        load: 2.25,
        involuntaryContextSwitches: 7,
        probeMs: 260,
        truncated: true,
        tuning: ['ksm', 'ksm'],
      },
    });
    expect(started.startJob).toEqual({
      status: 'RUNNING',
      noise: {
        cvPct: 1.5,
        stealPct: 0.5,
        load: 2.25,
        involuntaryContextSwitches: 7,
        probeMs: 260,
        truncated: true,
        tuning: ['ksm'],
      },
    });
    // A repeated startJob (a lost answer) does not overwrite the probe.
    const again = await runner.data<{ startJob: { noise: { cvPct: number } } }>(start, {
      id: jobId,
      noise: { cvPct: 9 },
    });
    expect(again.startJob.noise.cvPct).toBe(1.5);
    await runner.data(
      'mutation ($id: UUID!) { failJob(jobId: $id, reason: RUNNER_ERROR, message: "done") { id } }',
      {
        id: jobId,
      },
    );
  });

  it("a runner's start-up report is refused whole when malformed, and only admins read it", async () => {
    const runner = world.server.client(world.runnerKey);
    const report = `mutation ($checks: [PreflightCheckInput!]!, $tuning: [TuningKnobInput!]) {
      reportPreflight(checks: $checks, tuning: $tuning) }`;
    const read = `query ($slug: String!) { runner(slug: $slug) { preflight { at checks { check level message } tuning { knob status detail } } } }`;
    const check = { check: 'virtualized', level: 'warn', message: 'virtualized host (kvm)' };
    const knob = { knob: 'ksm', status: 'applied', detail: 'kernel/mm/ksm/run = 0' };
    await runner.data(report, { checks: [check], tuning: [knob] });
    const stored = await world.admin.data<{ runner: { preflight: unknown } }>(read, { slug: runnerSlug });
    expect(stored.runner.preflight).toEqual({ at: expect.any(String), checks: [check], tuning: [knob] });

    for (const [what, variables] of [
      ['33 checks', { checks: Array.from({ length: 33 }, (_, i) => ({ ...check, check: `c${i}` })) }],
      ['a level of its own', { checks: [{ ...check, level: 'fine' }] }],
      ['a check name with spaces', { checks: [{ ...check, check: 'Not A Name' }] }],
      ['a 501-character message', { checks: [{ ...check, message: 'x'.repeat(501) }] }],
      ['an empty message', { checks: [{ ...check, message: '' }] }],
      ['a status of its own', { checks: [check], tuning: [{ ...knob, status: 'maybe' }] }],
      [
        '33 knobs',
        { checks: [check], tuning: Array.from({ length: 33 }, (_, i) => ({ ...knob, knob: `k${i}` })) },
      ],
    ] as const) {
      expect(await runner.errorCode(report, variables), what).toBe('BAD_INPUT');
    }
    // Only a runner reports; nothing above changed what was stored.
    expect(await world.admin.errorCode(report, { checks: [check] })).toBe('FORBIDDEN');
    const after = await world.admin.data<{ runner: { preflight: unknown } }>(read, { slug: runnerSlug });
    expect(after.runner.preflight).toEqual(stored.runner.preflight);
    expect(await runner.errorCode(read, { slug: runnerSlug })).toBe('FORBIDDEN');
  });

  it("a runner's probe before each job is stored on the job, the report's job and the runner, with its history", async () => {
    const taskset = await findExecutable('taskset');
    const runner = await startRunner({
      serverUrl: world.server.url,
      key: world.runnerKey,
      workDir: join(world.dir, 'probing'),
      noiseProbe: (signal) =>
        probeBeforeJob(
          {
            cpus: benchmarkCores(availableParallelism()),
            taskset,
            budgetMs: 40,
            // A loaded test machine can take a second to start the probe's thread: no cap here.
            capMs: 60_000,
            tuning: () => ['timer-migration'],
          },
          signal,
        ),
    });
    try {
      const jobs = [];
      for (let i = 0; i < 2; i++) {
        const submitted = await submit(world, { image });
        expect(await waitForJob(world, submitted.jobId)).toMatchObject({ status: 'PROCESSED' });
        jobs.push(submitted);
      }
      const { report } = await world.admin.data<{ report: { job: { id: string; noise: any } } }>(
        `query ($id: UUID!) { report(id: $id) { job { id ${NOISE} } } }`,
        { id: jobs[1].reportId },
      );
      const noise = report.job.noise;
      expect(noise.cvPct).toBeGreaterThanOrEqual(0);
      expect(noise.probeMs).toBeGreaterThan(40);
      expect(noise.tuning).toEqual(['timer-migration']);
      expect(noise.truncated).toBe(false);
      expect(noise.involuntaryContextSwitches).toBeGreaterThanOrEqual(0);

      const { runner: view } = await world.admin.data<{ runner: any }>(
        `query ($slug: String!) { runner(slug: $slug) { noiseMeasuredAt noise { cvPct tuning } noiseHistory(last: 10) { jobId cvPct tuning at } } }`,
        { slug: runnerSlug },
      );
      // The latest probe is the runner's; the history is newest first.
      expect(view.noise).toEqual({ cvPct: noise.cvPct, tuning: ['timer-migration'] });
      expect(view.noiseHistory.slice(0, 2).map((s: { jobId: string }) => s.jobId)).toEqual([
        jobs[1].jobId,
        jobs[0].jobId,
      ]);
      expect(view.noiseHistory.some((s: { cvPct: number }) => s.cvPct === 1.5)).toBe(true);
      // A project reader sees the job's runner and its latest noise, not the history (other projects' jobs).
      const member = world.server.client(world.runnerKey);
      expect(
        await member.errorCode('query ($id: UUID!) { job(id: $id) { runner { noiseHistory { jobId } } } }', {
          id: jobs[1].jobId,
        }),
      ).toBe('FORBIDDEN');
      expect(await world.admin.errorCode('query { runner(slug: "no-such-runner") { id } }')).toBe(
        'NOT_FOUND',
      );

      // `benchline run --format json` carries the probe of the runner that ran it.
      const cli = [...CLI_ARGV, 'run', '--project', world.project, '--image', image];
      cli.push('--spec', world.specs.closed, '--adapter', 'json', '--format', 'json');
      const { stdout } = await run(process.execPath, cli, {
        env: {
          ...process.env,
          BENCHLINE_HOST: world.server.url,
          BENCHLINE_TOKEN: world.server.adminToken,
          XDG_CONFIG_HOME: '/nonexistent',
        },
      });
      const document = JSON.parse(stdout);
      expect(document.outcome).toBe('ok');
      expect(document.noise).toMatchObject({ cvPct: expect.any(Number), tuning: ['timer-migration'] });
      expect(document.noise.probeMs).toBeGreaterThan(40);
      expect(
        await world.server
          .client(world.runnerKey)
          .errorCode(`query { runner(slug: "${runnerSlug}") { id } }`),
      ).toBe('FORBIDDEN');
    } finally {
      await runner.stop();
    }
  });
});
