import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRunner } from '../../src/runner/main.js';
import { CLI_ARGV } from '../helpers/cli-argv.js';
import {
  bmf,
  jobView,
  pushImage,
  scriptLayers,
  startWorld,
  startWorldRunner,
  submit,
  type World,
  waitForJob,
} from '../runner/fixtures.js';

// job, threshold, alert, branch and testbed commands as a user runs them: the real CLI in its own
// process (so exit codes, stdout/stderr and a process that will not end are all seen) against a real
// server, registry and runner.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let world: World;
let runner: RunningRunner;
/** A spec no runner serves: its jobs stay pending. */
let idleSpec: string;
/** What `job logs --follow` adds to stderr: `[   1.2s] running on runner-…`. */
const STATUS_LINE = /\[ *[\d.]+s\] [^\n]*\n/g;
const OUT = ['{"bench1":', '{"latency": {"value": 42}}}'];
/** A job that printed to both streams and was processed. */
let finished: { jobId: string; reportId: string };

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `benchline …` in its own process; `both` sends stdout and stderr to one file, to see their order. */
function cli(
  args: string[],
  options: { both?: string; timeoutMs?: number; onOutput?: (sofar: string) => void } = {},
): Promise<Result> {
  const env = {
    ...process.env,
    NO_COLOR: '1',
    BENCHLINE_HOST: world.server.url,
    BENCHLINE_TOKEN: world.server.adminToken,
    // No saved login of whoever runs the tests.
    XDG_CONFIG_HOME: join(world.dir, 'config'),
  };
  const fd = options.both ? openSync(options.both, 'w') : undefined;
  const child = spawn(process.execPath, [...CLI_ARGV, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'],
  });
  if (fd !== undefined) closeSync(fd);
  // Decoded as a stream: a pipe read may end inside a character.
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c) => {
    stdout += c;
    options.onOutput?.(stdout + stderr);
  });
  child.stderr?.on('data', (c) => {
    stderr += c;
    options.onOutput?.(stdout + stderr);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`benchline ${args.join(' ')} did not end\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 40_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the CLI and expects exit 0; returns stdout. */
async function ok(...args: string[]): Promise<string> {
  const result = await cli(args);
  expect(result, `benchline ${args.join(' ')}`).toMatchObject({ code: 0 });
  return result.stdout;
}

async function json<T = any>(...args: string[]): Promise<T> {
  return JSON.parse(await ok(...args, '--format', 'json')) as T;
}

beforeAll(async () => {
  world = await startWorld();
  runner = await startWorldRunner(world);
  idleSpec = `idle-${randomBytes(3).toString('hex')}`;
  await world.admin.data('mutation ($input: CreateSpecInput!) { createSpec(input: $input) { id } }', {
    input: { name: idleSpec, slug: idleSpec, cpu: 1, memory: 2 ** 30, disk: 2 ** 30 },
  });
  // Both streams, interleaved with pauses so the stored order is certain; stdout is one BMF document
  // over two lines, for the json adapter.
  const image = await pushImage(
    world,
    scriptLayers(
      `echo 'err one' >&2\nsleep 0.2\necho '${OUT[0]}'\nsleep 0.2\necho 'err two' >&2\nsleep 0.2\n` +
        `echo '${OUT[1]}'\nsleep 0.2\necho 'err three' >&2\n`,
    ),
  );
  finished = await submit(world, { image });
  const job = await waitForJob(world, finished.jobId);
  expect(job, JSON.stringify(job)).toMatchObject({ status: 'PROCESSED' });
}, 120_000);

afterAll(async () => {
  await runner?.stop({ graceMs: 0 });
});

describe('job', () => {
  it('list shows the finished job with its status', async () => {
    const human = await ok('job', 'list', '--project', world.project);
    expect(human).toMatch(/^ID\s+Status\s+Runner/m);
    expect(human).toMatch(new RegExp(`^${finished.jobId}\\s+PROCESSED\\s+runner-`, 'm'));
    const rows = await json<Array<{ id: string; status: string }>>('job', 'list', '--project', world.project);
    expect(rows).toContainEqual(expect.objectContaining({ id: finished.jobId, status: 'PROCESSED' }));
    // --status filters on the server.
    expect(await json('job', 'list', '--project', world.project, '--status', 'failed')).toEqual([]);
  });

  it('view shows its phases, runner and exit code', async () => {
    const human = await ok('job', 'view', finished.jobId);
    expect(human).toMatch(new RegExp(`^id:\\s+${finished.jobId}$`, 'm'));
    expect(human).toMatch(/^status:\s+PROCESSED$/m);
    expect(human).toMatch(/^runner:\s+runner-\w+$/m);
    expect(human).toMatch(/^exit code:\s+0$/m);
    for (const phase of ['created', 'claimed', 'started', 'finished'])
      expect(human).toMatch(new RegExp(`^${phase}:\\s+\\d{4}-\\d\\d-\\d\\dT`, 'm'));
    expect(human).toMatch(
      new RegExp(
        `^report:\\s+${world.server.url}/projects/${world.project}/reports/${finished.reportId}$`,
        'm',
      ),
    );
    // JSON has the API's field names, as `job list` has.
    const view = await json('job', 'view', finished.jobId);
    expect(view).toMatchObject({
      id: finished.jobId,
      status: 'PROCESSED',
      exitCode: 0,
      failureReason: null,
      runner: { name: expect.stringMatching(/^runner-/) },
      reportId: finished.reportId,
      reportUrl: `${world.server.url}/projects/${world.project}/reports/${finished.reportId}`,
    });
    for (const phase of ['createdAt', 'claimedAt', 'startedAt', 'finishedAt'])
      expect(Date.parse(view[phase]), phase).toBeLessThanOrEqual(Date.now());
  });

  it('logs prints the stored stdout and stderr as text, in order', async () => {
    const separate = await cli(['job', 'logs', finished.jobId]);
    expect(separate.code).toBe(0);
    expect(separate.stdout).toBe(`${OUT[0]}\n${OUT[1]}\n`);
    expect(separate.stderr).toBe('err one\nerr two\nerr three\n');
    const both = join(world.dir, 'logs-both.txt');
    expect((await cli(['job', 'logs', finished.jobId], { both })).code).toBe(0);
    expect(await readFile(both, 'utf8')).toBe(`err one\n${OUT[0]}\nerr two\n${OUT[1]}\nerr three\n`);
  });

  it('logs prints the exact bytes when a character is split between two stored chunks', async () => {
    // The runner ships at most 64 KiB per chunk; 3-byte characters over 90 KB cannot all fit whole.
    const big = `${'✓'.repeat(30_000)}\n`;
    const image = await pushImage(
      world,
      scriptLayers(`cat /bench/big.txt >&2\necho '${bmf('big', 1)}'\n`, [
        { type: 'file', path: 'bench/big.txt', content: big },
      ]),
    );
    const { jobId } = await submit(world, { image });
    expect((await waitForJob(world, jobId)).status).toBe('PROCESSED');
    for (const args of [
      ['job', 'logs', jobId],
      ['job', 'logs', '--follow', jobId],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toBe(`${bmf('big', 1)}\n`);
      // --follow adds its status lines to stderr, maybe between the job's bytes.
      const head = result.stderr.replace(STATUS_LINE, '').slice(0, big.length);
      expect(
        head === big,
        `${args.join(' ')}: ${JSON.stringify(head.replace(/✓+/g, (m) => `✓×${m.length}`))}`,
      ).toBe(true);
    }
  });

  it('logs --follow streams a running job and exits when it ends', async () => {
    const image = await pushImage(
      world,
      scriptLayers(
        `echo started >&2\nfor i in 1 2 3; do sleep 1; echo "tick $i" >&2; done\necho '${bmf('follow', 1)}'\n`,
      ),
    );
    const { jobId } = await submit(world, { image });
    await waitForJob(world, jobId, (job) => job.status === 'RUNNING');
    // Whether the job still ran when the first line after `started` came: then it came live.
    let statusAtTick: Promise<string> | undefined;
    const result = await cli(['job', 'logs', '--follow', jobId], {
      timeoutMs: 30_000,
      onOutput: (sofar) => {
        if (sofar.includes('tick 1')) statusAtTick ??= jobView(world, jobId).then((job) => job.status);
      },
    });
    expect(await statusAtTick).toBe('RUNNING');
    const job = await waitForJob(world, jobId);
    expect(job.status).toBe('PROCESSED');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${bmf('follow', 1)}\n`);
    expect(result.stderr.match(STATUS_LINE)?.at(-1)).toMatch(/\] processed\n$/);
    // The job's stderr, in order, between the status lines the CLI adds.
    expect(result.stderr.split('\n').filter((l) => /^(started|tick \d)$/.test(l))).toEqual([
      'started',
      'tick 1',
      'tick 2',
      'tick 3',
    ]);
  }, 60_000);

  it('cancel on a pending job cancels it', async () => {
    const image = await pushImage(world, scriptLayers('echo never\n'));
    const { jobId } = await submit(world, { image, spec: idleSpec });
    expect((await waitForJob(world, jobId, () => true)).status).toBe('PENDING');
    expect(await ok('job', 'cancel', jobId)).toBe(`Job ${jobId} is canceled.\n`);
    expect((await waitForJob(world, jobId)).status).toBe('CANCELED');
    expect(await ok('job', 'list', '--project', world.project, '--status', 'canceled')).toContain(jobId);
  });
});

describe('threshold and alert', () => {
  it('threshold create, then list shows it with its model', async () => {
    const created = await ok(
      'threshold',
      'create',
      '--project',
      world.project,
      '--branch',
      'main',
      '--testbed',
      'ci',
      '--measure',
      'latency',
      '--test',
      'static',
      '--upper-boundary',
      '100',
    );
    const id = created.match(/^Created threshold (\S+) \(main\/ci\/latency\)\.$/m)?.[1];
    expect(id, created).toBeDefined();
    // A create as a JSON record for scripts (another measure: the same one is a CONFLICT).
    const record = await json(
      'threshold',
      'create',
      '--project',
      world.project,
      '--branch',
      'main',
      '--testbed',
      'ci',
      '--measure',
      'throughput',
      '--test',
      'percentage',
      '--lower-boundary',
      '0.5',
    );
    expect(record).toMatchObject({
      id: expect.any(String),
      branch: { slug: 'main' },
      testbed: { slug: 'ci' },
      measure: { slug: 'throughput' },
      model: { test: 'PERCENTAGE', lowerBoundary: 0.5, upperBoundary: null },
    });
    const human = await ok('threshold', 'list', '--project', world.project);
    expect(human).toMatch(
      new RegExp(`^${id}\\s+main\\s+ci\\s+latency\\s+static\\s+\\S+\\s+-\\s+-\\s+100$`, 'm'),
    );
    expect(await json('threshold', 'list', '--project', world.project)).toContainEqual(
      expect.objectContaining({
        id,
        branch: { slug: 'main' },
        testbed: { slug: 'ci' },
        measure: { slug: 'latency' },
        model: expect.objectContaining({ test: 'STATIC', upperBoundary: 100, lowerBoundary: null }),
      }),
    );
  });

  it('a run over the threshold raises an alert; alert list shows it, alert dismiss dismisses it', async () => {
    const image = await pushImage(world, scriptLayers(`echo '${bmf('bench1', 200)}'\n`));
    const { jobId, reportId } = await submit(world, { image });
    expect((await waitForJob(world, jobId)).status).toBe('PROCESSED');

    const alerts = await json<any[]>('alert', 'list', '--project', world.project);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({ status: 'ACTIVE', side: 'UPPER', value: 200, limit: 100 });
    expect(alert.benchmark.name).toBe('bench1');
    expect(alert).toMatchObject({ branch: { slug: 'main' }, testbed: { slug: 'ci' } });
    const human = await ok('alert', 'list', '--project', world.project);
    expect(human).toMatch(
      /^ID\s+Status\s+Side\s+Benchmark\s+Measure\s+Branch\s+Testbed\s+Created\s+Report$/m,
    );
    expect(human).toMatch(
      new RegExp(
        `^${alert.id}\\s+active\\s+upper\\s+bench1\\s+Latency\\s+main\\s+ci\\s+\\S+\\s+` +
          `${world.server.url}/projects/${world.project}/reports/${reportId}$`,
        'm',
      ),
    );

    expect(await json('alert', 'dismiss', alert.id)).toEqual({ id: alert.id, status: 'DISMISSED' });
    expect(await ok('alert', 'dismiss', alert.id)).toBe(`Alert ${alert.id} is dismissed.\n`);
    const row = await world.database.db
      .selectFrom('alert')
      .select('status')
      .where('id', '=', alert.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('DISMISSED');
    expect(await ok('alert', 'list', '--project', world.project)).toBe('No active alerts.\n');
    expect(await json('alert', 'list', '--project', world.project, '--status', 'dismissed')).toMatchObject([
      { id: alert.id, status: 'DISMISSED' },
    ]);
    expect(await ok('alert', 'list', '--project', world.project, '--all')).toMatch(
      new RegExp(`^${alert.id}\\s+dismissed\\s`, 'm'),
    );
  }, 60_000);
});

describe('branch and testbed', () => {
  it('branch create with a start point, then list', async () => {
    expect(
      await ok('branch', 'create', 'Feature X', '--project', world.project, '--start-point', 'main'),
    ).toBe('Created branch Feature X (feature-x).\n');
    expect(
      await json(
        'branch',
        'create',
        'hotfix',
        '--project',
        world.project,
        '--start-point',
        'main',
        '--start-point-hash',
        'a'.repeat(40),
      ),
    ).toMatchObject({ name: 'hotfix', slug: 'hotfix' });
    const human = await ok('branch', 'list', '--project', world.project);
    expect(human).toMatch(/^feature-x\s+Feature X\s+main\s+-$/m);
    expect(human).toMatch(new RegExp(`^hotfix\\s+hotfix\\s+main\\s+${'a'.repeat(40)}$`, 'm'));
    expect(human).toMatch(/^main\s+main\s+-\s+-$/m);
    expect(await json('branch', 'list', '--project', world.project)).toContainEqual(
      expect.objectContaining({ slug: 'feature-x', startPoint: { slug: 'main' } }),
    );
  });

  it('testbed create, then list', async () => {
    expect(
      await ok('testbed', 'create', 'Big Box', '--project', world.project, '--spec', world.specs.open),
    ).toBe('Created testbed Big Box (big-box).\n');
    expect(await json('testbed', 'create', 'small', '--project', world.project)).toMatchObject({
      name: 'small',
      slug: 'small',
    });
    const human = await ok('testbed', 'list', '--project', world.project);
    expect(human).toMatch(new RegExp(`^big-box\\s+Big Box\\s+${world.specs.open}$`, 'm'));
    expect(human).toMatch(/^small\s+small\s+-$/m);
    expect(human).toMatch(/^ci\s+ci\s/m);
    expect(await json('testbed', 'list', '--project', world.project)).toContainEqual(
      expect.objectContaining({ slug: 'big-box', spec: { slug: world.specs.open } }),
    );
  });
});

describe.concurrent('bad input', () => {
  const unknownJob = '00000000-0000-7000-8000-000000000000';

  it.each([
    ['job view', ['job', 'view', unknownJob]],
    ['job logs', ['job', 'logs', unknownJob]],
    ['job logs --follow', ['job', 'logs', '--follow', unknownJob]],
    ['job cancel', ['job', 'cancel', unknownJob]],
  ])('%s of an unknown job exits 1 with a message and a hint', async (_, args) => {
    const result = await cli(args);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: .*job.*not found/im);
    // What to do next: a hint, or the server's message naming the command itself (no repeat).
    expect(result.stderr).toMatch(/^hint: \S|^error: .*\bbenchline [a-z]/m);
    // Reported, not crashed with a stack trace.
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it.each([
    ['job list', ['job', 'list']],
    ['threshold list', ['threshold', 'list']],
    ['alert list', ['alert', 'list']],
    ['branch list', ['branch', 'list']],
    ['testbed list', ['testbed', 'list']],
    ['branch create', ['branch', 'create', 'x']],
    ['testbed create', ['testbed', 'create', 'x']],
  ])('%s of an unknown project exits 1 with a message and a hint', async (_, args) => {
    const result = await cli([...args, '--project', 'no-such-project']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: .*project.*not found/im);
    expect(result.stderr).toMatch(/^hint: \S|^error: .*\bbenchline [a-z]/m);
  });

  it.each([
    ['job list --limit abc', ['job', 'list', '--project', 'p', '--limit', 'abc'], /--limit abc/],
    ['job list --limit 5000', ['job', 'list', '--project', 'p', '--limit', '5000'], /--limit 5000/],
    [
      'branch create --start-point-hash alone',
      ['branch', 'create', 'x', '--project', 'p', '--start-point-hash', 'a'.repeat(40)],
      /--start-point-hash needs --start-point/,
    ],
  ])('%s exits 1 before asking the server', async (_, args, message) => {
    const result = await cli(args as string[]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message as RegExp);
    expect(result.stderr).toMatch(/^hint: \S/m);
  });
});

describe('machine-readable output', () => {
  it('prints an error as a JSON document on stdout with the exit code of the human form', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const human = await cli(['job', 'view', missing]);
    const machine = await cli(['job', 'view', missing, '--format', 'json']);
    expect(human.code).toBe(1);
    expect(machine.code).toBe(human.code);
    expect(human.stderr).toMatch(/^error: /m);
    expect(JSON.parse(machine.stdout)).toEqual({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('not found'), hint: expect.any(String) },
    });
    expect(machine.stderr).toBe('');
    // A CLI-side error too (a run without a project).
    const noProject = await cli(['run', '--format=json', 'true'], {});
    expect(noProject.code).toBe(1);
    expect(JSON.parse(noProject.stdout).error).toMatchObject({
      code: 'BAD_INPUT',
      hint: expect.stringContaining('--project'),
    });
  }, 60_000);

  it('run --format json gives every result its names, slugs, units, values, limits and alert', async () => {
    const output = JSON.stringify({
      'Parse JSON': { latency: { value: 500, lower_value: 450, upper_value: 550 } },
    });
    const args = [
      'run',
      '--project',
      world.project,
      '--branch',
      'json-out',
      '--testbed',
      'ci',
      '--adapter',
      'json',
    ];
    const threshold = [
      '--threshold-measure',
      'latency',
      '--threshold-test',
      'static',
      '--threshold-upper-boundary',
      '100',
    ];
    const result = await cli([...args, ...threshold, '--err', '--format', 'json', `echo '${output}'`]);
    // --err with an alert: exit 1, and the document says why.
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc.error, JSON.stringify(doc.error)).toMatchObject({ code: 'ALERTS' });
    expect(doc.url).toBe(`${world.server.url}/projects/${world.project}/reports/${doc.reportId}`);
    expect(doc.results).toEqual([
      {
        iteration: 0,
        benchmark: { name: 'Parse JSON', slug: 'parse-json' },
        measure: { name: 'Latency', slug: 'latency', units: 'nanoseconds (ns)' },
        value: 500,
        lowerValue: 450,
        upperValue: 550,
        baseline: null,
        lowerLimit: null,
        upperLimit: 100,
        change: null,
        // A local run has no image to confirm with: its alert is UNCONFIRMABLE from the start.
        alert: {
          id: expect.any(String),
          side: 'UPPER',
          limit: 100,
          verdict: 'UNCONFIRMABLE',
          evidence: null,
        },
      },
    ]);
  }, 60_000);

  it('run --detach prints only the job id on stdout, and its JSON form carries the report URL', async () => {
    const image = await pushImage(world, scriptLayers(`echo '${bmf('detached', 1)}'\n`));
    const args = [
      'run',
      '--project',
      world.project,
      '--testbed',
      'ci',
      '--image',
      image,
      '--spec',
      idleSpec,
      '--detach',
    ];
    const plain = await cli(args);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    expect(plain.stderr).toContain('detached');
    const machine = await cli([...args, '--format', 'json']);
    expect(machine.code).toBe(0);
    const doc = JSON.parse(machine.stdout);
    expect(doc).toMatchObject({ outcome: 'detached', jobId: expect.any(String), error: null });
    expect(doc.url).toBe(`${world.server.url}/projects/${world.project}/reports/${doc.reportId}`);
    for (const jobId of [plain.stdout.trim(), doc.jobId]) await ok('job', 'cancel', jobId);
  }, 60_000);
});
