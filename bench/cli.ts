// Cold start of the installed CLI: `node bin/benchline.js --help`, against `node -e 0` (Node's own start).
// Commands register without loading their actions (Ink, React, graphql stay unloaded), so help is cheap.
// Then a local `benchline run` in a terminal (a pty from `script`): when its first frame shows and how
// long it takes to exit after the report, in the Ink view against plain mode (CI=1) in the same run.
// Then the CLI's fixed time around a remote run (issue 23 §4), against a server with the queue and a
// runner played by this process: from invocation until the job exists (`run --image --detach --format
// json`, the job's created_at on the same clock) against `node -e` posting the same createRun with fetch,
// and from the job's end (the runner's completeJob) until the CLI following it has exited, against a
// jobStatus subscriber in this process seeing the end (what a client cannot beat).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { RunnerClient } from '../src/runner/client.js';
import { createAdminToken } from '../src/server/accounts/users.js';
import { startServer } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { createLogger } from '../src/server/logger.js';
import { queueExtension } from '../src/server/queue/extension.js';
import { createRunner } from '../src/server/runners/runners.js';
import { createSpec, createTenant } from '../test/queue/fixtures.js';
import { type Figure, percentile, scratchDatabase } from './_shared.js';

const GOAL_MS = 300;
const root = fileURLToPath(new URL('..', import.meta.url));

function build(): void {
  // tsc emits even when some other part of the tree has type errors; the CLI only needs its files.
  // The console's bundle is not the CLI's: tsc alone.
  const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (!existsSync(join(root, 'dist/src/cli/main.js'))) {
    throw new Error(`tsc produced no dist/src/cli/main.js:\n${result.stdout}${result.stderr}`);
  }
  // The bundle bin/benchline.js runs (scripts/bundle-cli.ts); without it, tsc's files would run.
  execFileSync('npx', ['tsx', 'scripts/bundle-cli.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function hasHyperfine(): boolean {
  return spawnSync('hyperfine', ['--version']).status === 0;
}

/** Mean wall time in ms of each command, by hyperfine when installed, else by repeated spawns. */
function measure(commands: string[][], runs = 30): number[] {
  if (hasHyperfine()) {
    const out = join(mkdtempSync(join(tmpdir(), 'bench-cli-')), 'hyperfine.json');
    execFileSync(
      'hyperfine',
      [
        '--warmup',
        '3',
        '--runs',
        String(runs),
        '-N',
        '--export-json',
        out,
        ...commands.map((c) => c.join(' ')),
      ],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const { results } = JSON.parse(readFileSync(out, 'utf8')) as { results: Array<{ median: number }> };
    return results.map((r) => r.median * 1000);
  }
  return commands.map(([file, ...args]) => {
    const times: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const start = process.hrtime.bigint();
      spawnSync(file, args, { cwd: root, stdio: 'ignore' });
      if (i >= 3) times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  });
}

interface RunTiming {
  /** From spawn to the first phase line on the screen. */
  firstFrame: number;
  /** From the report's link on the screen to the process's exit. */
  exitAfterReport: number;
}

/** One `benchline run` in a pseudo-terminal, timed from its output as a person would see it. */
function timeRun(host: string, plain: boolean): Promise<RunTiming> {
  const bmf = `'{"sort": {"latency": {"value": 1234.5}}}'`;
  const command = `stty cols 120 rows 40; node bin/benchline.js run --project bench-cli --adapter json "printf ${bmf.replaceAll('"', '\\"')}"`;
  const env: NodeJS.ProcessEnv = { ...process.env, BENCHLINE_HOST: host, XDG_CONFIG_HOME: '/nonexistent' };
  delete env.CI;
  if (plain) env.CI = '1';
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: root,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let firstFrame: number | null = null;
    let reportAt: number | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      if (firstFrame === null && /running printf/.test(screen)) firstFrame = performance.now() - start;
      if (reportAt === null && /Report: http/.test(screen)) reportAt = performance.now();
    });
    child.on('exit', (code) => {
      const end = performance.now();
      if (code !== 0 || firstFrame === null || reportAt === null) {
        return reject(new Error(`benchline run exited with ${code}:\n${screen}`));
      }
      resolve({ firstFrame, exitAfterReport: end - reportAt });
    });
  });
}

export async function runTimings(runs = 5): Promise<Figure[]> {
  const database = await scratchDatabase('bench_cli');
  const config = loadConfig({ PORT: '0', DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  // In this process: the CLI runs in its own, and this one only waits meanwhile.
  const server = await startServer({ config });
  const servers = { urls: [server.url], stop: () => server.stop() };
  try {
    const ink: RunTiming[] = [];
    const plain: RunTiming[] = [];
    await timeRun(servers.urls[0], false); // warms the server's first project and the file cache
    // Interleaved, so load on the machine falls on both alike.
    for (let i = 0; i < runs; i++) {
      ink.push(await timeRun(servers.urls[0], false));
      plain.push(await timeRun(servers.urls[0], true));
    }
    const figure = (name: string, pick: (t: RunTiming) => number, goal: string): Figure => {
      const value = median(ink.map(pick));
      const anchor = median(plain.map(pick));
      return {
        name: `${name} (spread ${spread(ink.map(pick))}; plain ${spread(plain.map(pick))})`,
        value,
        unit: 'ms',
        goal,
        anchor,
        anchorName: 'plain mode',
        ratio: value / anchor,
      };
    };
    return [
      figure('run: first frame, Ink', (t) => t.firstFrame, '≤ 1.3× plain'),
      figure('run: exit after the report, Ink', (t) => t.exitAfterReport, '≤ 100 ms'),
    ];
  } finally {
    await servers.stop();
    await database.drop();
  }
}

const clock = () => performance.timeOrigin + performance.now();
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const spread = (values: number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} ms`;

/** GNU time reports a child's CPU (user + system), which load on the machine changes far less than wall time. */
const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);

/**
 * A child process's wall time, from spawn to exit, on the epoch clock the database's now() shares;
 * with `cpu`, also its CPU time in ms (through GNU time, when installed).
 */
function timed(file: string, args: string[], env: NodeJS.ProcessEnv = process.env, cpu = false, cwd = root) {
  return new Promise<{ start: number; end: number; stdout: string; cpu?: number }>((resolve, reject) => {
    const cpuFile = cpu && hasTime ? join(mkdtempSync(join(tmpdir(), 'bench-cli-cpu-')), 'time') : null;
    const start = clock();
    const child = cpuFile
      ? spawn(TIME, ['-f', '%U %S', '-o', cpuFile, file, ...args], {
          cwd,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => {
      const end = clock();
      if (code !== 0) reject(new Error(`${file} ${args.join(' ')} exited with ${code}:\n${stdout}${stderr}`));
      else if (!cpuFile) resolve({ start, end, stdout });
      else {
        const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
        resolve({ start, end, stdout, cpu: ((user ?? 0) + (system ?? 0)) * 1000 });
      }
    });
  });
}

/** What a client cannot beat: createRun from `node -e` with fetch, nothing loaded. */
const RAW_CREATE_RUN = `
const [url, token, input] = process.argv.slice(1);
const query = 'mutation ($input: CreateRunInput!) { createRun(input: $input) { report { id } job { id status } } }';
fetch(url + '/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
  body: JSON.stringify({ query, variables: { input: JSON.parse(input) } }),
}).then((r) => r.json()).then((r) => { if (r.errors) { console.error(r.errors); process.exit(1); } console.log(r.data.createRun.job.id); });
`;

const STATUS = 'subscription ($jobId: UUID!) { jobStatus(jobId: $jobId) { status } }';

/**
 * BENCH_CLI_ANCHOR=<dir>: another checkout's built CLI (e.g. the base commit in a `git archive` copy
 * sharing node_modules, built with `npx tsc -p tsconfig.build.json && npx tsx scripts/bundle-cli.ts`),
 * timed in the same run against the same server, interleaved with this one, for the exit figure.
 */
const ANCHOR_CLI = process.env.BENCH_CLI_ANCHOR;

/** The CLI's fixed time around a remote run: submit (detached) and exit after the job's end. */
export async function remoteTimings(runs = 8): Promise<Figure[]> {
  const scratch = await scratchDatabase('bench_cli_remote');
  const setup = createDatabase({ url: scratch.url, max: 2 });
  await migrateToLatest(setup);
  await setup.destroy();
  const config = loadConfig({ PORT: '0', DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' });
  const server = await startServer({ config, log: createLogger('silent'), extensions: [queueExtension()] });
  config.publicUrl = server.url;
  const { db } = server.deps;
  try {
    await createSpec(db, 'bench', true);
    const tenant = await createTenant(db, 'ENTERPRISE');
    const { key } = await createRunner(db, { name: 'bench runner', specs: ['bench'] });
    const token = (await createAdminToken(db, new Date())).secret;
    const runner = new RunnerClient({ serverUrl: server.url, key });
    // Without a registry mounted the server takes a digest reference as it is (resolve-image.ts).
    const image = `bench/cli@sha256:${'0'.repeat(64)}`;
    const flags = ['--project', tenant.projectSlug, '--image', image, '--adapter', 'json'];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BENCHLINE_HOST: server.url,
      BENCHLINE_TOKEN: token,
      XDG_CONFIG_HOME: '/nonexistent',
      CI: '1',
    };
    const createdAt = async (jobId: string) =>
      (
        await db.selectFrom('job').select('created_at').where('id', '=', jobId).executeTakeFirstOrThrow()
      ).created_at.getTime();
    const input = JSON.stringify({ project: tenant.projectSlug, adapter: 'json', job: { image } });

    // Submit: interleaved with the anchor so load falls on both alike; the jobs are canceled after.
    const cli = { submitted: [] as number[], total: [] as number[], cpu: [] as number[] };
    const raw = { submitted: [] as number[], total: [] as number[], cpu: [] as number[] };
    for (let i = 0; i < runs + 1; i++) {
      const ours = await timed(
        process.execPath,
        ['bin/benchline.js', 'run', ...flags, '--detach', '--format', 'json'],
        env,
        true,
      );
      const oursJob = (JSON.parse(ours.stdout) as { jobId: string }).jobId;
      const anchor = await timed(
        process.execPath,
        ['-e', RAW_CREATE_RUN, server.url, token, input],
        process.env,
        true,
      );
      if (i === 0) continue; // warms the file cache and the server
      cli.submitted.push((await createdAt(oursJob)) - ours.start);
      cli.total.push(ours.end - ours.start);
      raw.submitted.push((await createdAt(anchor.stdout.trim())) - anchor.start);
      raw.total.push(anchor.end - anchor.start);
      if (ours.cpu !== undefined && anchor.cpu !== undefined) {
        cli.cpu.push(ours.cpu);
        raw.cpu.push(anchor.cpu);
      }
    }
    await db.updateTable('job').set({ status: 'CANCELED' }).where('status', '=', 'PENDING').execute();

    // Exit: this process is the runner; the CLI follows the job (plain output) until it ends.
    const ws = createClient({
      url: `${server.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const afterEnd: number[] = [];
    const afterProcessed: number[] = [];
    const seen: number[] = [];
    const anchorAfterEnd: number[] = [];
    try {
      for (let k = 0; k < (runs + 1) * (ANCHOR_CLI ? 2 : 1); k++) {
        const i = ANCHOR_CLI ? Math.floor(k / 2) : k;
        const isAnchor = ANCHOR_CLI !== undefined && k % 2 === (i % 2 ? 0 : 1);
        const child = timed(
          process.execPath,
          ['bin/benchline.js', 'run', ...flags],
          env,
          false,
          isAnchor ? ANCHOR_CLI : root,
        );
        const job = await runner.claimJob(['bench'], 30);
        if (!job) throw new Error('no job was claimed within 30 s');
        await runner.startJob(job.id);
        let terminalAt = 0;
        // Rejections are read once the CLI has exited, below.
        const subscribed = new Promise<void>((resolve, reject) => {
          const stop = ws.subscribe(
            { query: STATUS, variables: { jobId: job.id } },
            {
              next: (r) => {
                const status = (r.data as { jobStatus?: { status: string } } | undefined)?.jobStatus?.status;
                if (status === 'PROCESSED' || status === 'FAILED') {
                  terminalAt = clock();
                  stop();
                  resolve();
                }
              },
              error: (e) => reject(new Error(`jobStatus: ${JSON.stringify(e)}`)),
              complete: () => resolve(),
            },
          );
        });
        subscribed.catch(() => {});
        // The CLI is subscribed by now: its RUNNING line was printed after createRun answered.
        await new Promise((r) => setTimeout(r, 300));
        const endAt = clock();
        const stdout = JSON.stringify({ sort: { latency: { value: 1000 + i } } });
        await runner.completeJob(job.id, 0, [{ iteration: 0, exitCode: 0, stdout, files: {} }]);
        const processedAt = clock();
        const exited = await child;
        await subscribed;
        if (i === 0) continue;
        if (isAnchor) {
          anchorAfterEnd.push(exited.end - endAt);
          continue;
        }
        afterEnd.push(exited.end - endAt);
        afterProcessed.push(exited.end - processedAt);
        seen.push(terminalAt - endAt);
      }
    } finally {
      await ws.dispose();
      await runner.close();
    }
    const anchorFigure = (
      name: string,
      ours: number[],
      anchor: number[],
      anchorName: string,
      goal: string,
    ): Figure => ({
      name: `${name} (spread ${spread(ours)}; anchor ${spread(anchor)})`,
      value: median(ours),
      unit: 'ms',
      goal,
      anchor: median(anchor),
      anchorName,
      ratio: median(ours) / median(anchor),
    });
    return [
      anchorFigure(
        'run --image --detach --format json: invocation → job created',
        cli.submitted,
        raw.submitted,
        'node -e fetch(createRun)',
        '≤ 250 ms',
      ),
      anchorFigure(
        'run --image --detach --format json: invocation → exit',
        cli.total,
        raw.total,
        'node -e fetch(createRun)',
        'report',
      ),
      ...(cli.cpu.length
        ? [
            anchorFigure(
              'run --image --detach --format json: CPU (user + system)',
              cli.cpu,
              raw.cpu,
              'node -e fetch(createRun)',
              'report',
            ),
          ]
        : []),
      anchorFigure(
        "run --image: job's end (completeJob sent) → exit",
        afterEnd,
        seen,
        'a jobStatus subscriber sees it end',
        '≤ 100 ms',
      ),
      ...(anchorAfterEnd.length
        ? [
            anchorFigure(
              "run --image: job's end (completeJob sent) → exit, against the anchor CLI",
              afterEnd,
              anchorAfterEnd,
              `the CLI in ${ANCHOR_CLI}`,
              'report',
            ),
          ]
        : []),
      {
        name: `run --image: job processed (completeJob answered) → exit (spread ${spread(afterProcessed)})`,
        value: median(afterProcessed),
        unit: 'ms',
        goal: 'report',
      },
    ];
  } finally {
    await server.stop();
    await scratch.drop();
  }
}

export async function run(): Promise<Figure[]> {
  build();
  const remote = await remoteTimings();
  const [cli, node] = measure([
    ['node', 'bin/benchline.js', '--help'],
    ['node', '-e', '0'],
  ]);
  const runs = await runTimings();
  return [
    ...remote,
    ...runs,
    {
      name: 'cold start: benchline --help',
      value: cli,
      unit: 'ms',
      goal: `≤ ${GOAL_MS} ms`,
      anchor: node,
      anchorName: 'node -e 0',
      ratio: cli / node,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `--remote`: the remote-run figures alone (a quicker loop while working on them).
  const figures = process.argv.includes('--remote') ? await remoteTimings() : await run();
  for (const f of figures) {
    const anchor =
      f.anchor === undefined
        ? ''
        : `  anchor ${f.anchorName} ${f.anchor.toFixed(0)} ms  ratio ${f.ratio?.toFixed(2)}`;
    console.log(`cli.${f.name}  ${f.value.toFixed(0)} ms (median)  (goal ${f.goal})${anchor}`);
  }
  process.exit(0);
}
