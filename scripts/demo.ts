// `npm run demo`: the whole system on one machine. Starts the server (embedded PostgreSQL unless
// DATABASE_URL) and a runner, builds and pushes a small benchmark image, runs it five times with
// `benchline run --image` (the fifth slower: a regression that raises an alert), prints the
// console's URL and keeps serving until Ctrl-C. `--exit` stops after the runs (used by the e2e test).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDemoContext } from '../demo/context.js';

const root = resolve(new URL('..', import.meta.url).pathname);
const exitWhenDone = process.argv.includes('--exit');
// As root the embedded PostgreSQL runs as its own user: keep its data where that user can reach it.
const dataDir =
  process.env.BENCHLINE_DATA_DIR ??
  (process.getuid?.() === 0 ? '/var/lib/benchline/demo' : join(root, '.benchline', 'demo'));
const built = existsSync(join(root, 'dist', 'src', 'cli', 'main.js'));
// The compiled CLI starts fast; from sources it needs tsx.
const cli = built
  ? [join(root, 'bin', 'benchline.js')]
  : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
const children: ChildProcess[] = [];

const say = (line: string) => process.stdout.write(`\n\x1b[1m▶ ${line}\x1b[0m\n`);

function freePort(preferred: number): Promise<number> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => {
      const any = createServer();
      any.listen(0, '127.0.0.1', () => {
        const port = (any.address() as { port: number }).port;
        any.close(() => done(port));
      });
    });
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => done(preferred)));
  });
}

function benchline(args: string[], env: NodeJS.ProcessEnv, capture = false): string {
  const result = spawnSync(process.execPath, [...cli, ...args], {
    env,
    encoding: 'utf8',
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
  });
  if (result.status !== 0) {
    throw new Error(`benchline ${args.slice(0, 2).join(' ')} failed (exit ${result.status})`);
  }
  return capture ? result.stdout.trim() : '';
}

function start(args: string[], env: NodeJS.ProcessEnv, log: string): ChildProcess {
  const child = spawn(process.execPath, [...cli, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (process.env.DEMO_VERBOSE) process.stderr.write(`[${log}] ${chunk}`);
  });
  children.push(child);
  return child;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  let dots = 0;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the server exited (code ${child.exitCode}); rerun with DEMO_VERBOSE=1`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return void process.stdout.write('\n');
    } catch {}
    process.stdout.write(dots++ % 10 === 0 ? `\n  waiting for ${url}/healthz ` : '.');
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the server did not become healthy in 2 minutes; rerun with DEMO_VERBOSE=1');
}

async function graphql(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as {
    data?: any;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
  return body;
}

async function stopAll() {
  for (const child of children.reverse()) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((r) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        r(undefined);
      }, 15_000);
      child.once('exit', () => {
        clearTimeout(timer);
        r(undefined);
      });
    });
  }
}

async function main() {
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort(Number(process.env.PORT ?? 8080));
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    BENCHLINE_DATA_DIR: dataDir,
    BENCHLINE_HOST: url,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };

  say('Creating an admin token (this starts the database once when it is embedded)');
  const token = benchline(['admin', 'token'], env, true).split('\n').at(-1)!;
  env.BENCHLINE_TOKEN = token;

  say(`Starting the server on ${url} (data in ${dataDir})`);
  const server = start(['server'], env, 'server');
  await waitForHealth(url, server);

  say('Setting up: a default spec, a project, a runner');
  await graphql(
    url,
    token,
    'mutation { createSpec(input: { name: "demo", cpu: 1, memory: 1e9, disk: 1e9, isDefault: true }) { id } }',
  );
  await graphql(url, token, 'mutation { createOrganization(name: "demo") { id } }');
  await graphql(
    url,
    token,
    'mutation { createProject(input: { organization: "demo", name: "demo" }) { id } }',
  );
  const runnerName = `demo-runner-${Date.now().toString(36)}`;
  const runner = await graphql(
    url,
    token,
    'mutation ($n: String!) { createRunner(name: $n, specs: ["demo"]) { key } }',
    {
      n: runnerName,
    },
  );
  const key = runner.data?.createRunner?.key;
  if (!key) throw new Error(`could not create a runner: ${JSON.stringify(runner.errors)}`);
  const runnerDir = join(dataDir, 'runner');
  // The key goes in the environment, not the command line, where `ps` would show it.
  start(
    ['runner', 'up', '--server', url, '--work-dir', runnerDir],
    { ...env, BENCHLINE_RUNNER_KEY: key },
    'runner',
  );

  say('Building the benchmark image with `benchline image build` and pushing it');
  const context = mkdtempSync(join(tmpdir(), 'benchline-demo-'));
  try {
    buildDemoContext(context);
    benchline(
      ['image', 'build', context, 'demo/bench:v1', '--entrypoint', '/bin/sh', '--cmd', '/bench/run.sh'],
      env,
    );
  } finally {
    rmSync(context, { recursive: true, force: true });
  }

  // Percentage over at least three earlier runs: robust to a noisy machine, and a tenfold heavier round is far past it.
  const thresholds = [
    '--threshold-measure',
    'latency',
    '--threshold-test',
    'percentage',
    '--threshold-min-sample-size',
    '3',
    '--threshold-upper-boundary',
    '0.75',
  ];
  for (let run = 1; run <= 5; run++) {
    const regression = run === 5;
    say(
      `Run ${run} of 5${regression ? ': the benchmark does ten times the work per round — a regression' : ''}`,
    );
    const args = ['run', '--project', 'demo', '--branch', 'main', '--testbed', 'demo', '--adapter', 'json'];
    args.push('--image', 'demo/bench:v1', ...thresholds);
    if (regression) args.push('--env', 'WORK=10');
    const result = spawnSync(process.execPath, [...cli, ...args], { env, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`run ${run} failed (exit ${result.status})`);
  }

  const alerts = await graphql(
    url,
    token,
    '{ alerts(project: "demo", status: ACTIVE) { edges { node { id } } } }',
  );
  const count = alerts.data?.alerts?.edges?.length ?? 0;
  say(`${count} active alert${count === 1 ? '' : 's'} in project demo`);
  console.log(`\nThe console: ${url}/projects/demo\nSign in there with the admin token: ${token}\n`);
  if (exitWhenDone) return;
  console.log('The server and the runner keep running. Ctrl-C stops everything.');
  await new Promise<void>((resolveWait) => {
    process.once('SIGINT', resolveWait);
    process.once('SIGTERM', resolveWait);
  });
}

main()
  .catch((error) => {
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopAll();
  });
