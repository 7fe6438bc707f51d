// `npm run demo`: the whole system on one machine. Starts the server (embedded PostgreSQL unless
// DATABASE_URL) and a runner, builds and pushes a small benchmark image, runs it five times with
// `benchline run --image`, the fifth with a second image that does ten times the work (a regression:
// it raises alerts, which the runner confirms by re-running both images interleaved), prints the
// console's URL and keeps serving until Ctrl-C. `--exit` stops after the runs (used by the e2e test).
// Any catchable signal (INT, TERM, HUP, and the parent npm going away) stops everything it started;
// children are also started with a parent-death signal, so even a SIGKILL of the demo stops them.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDemoContext } from '../demo/context.js';
import { demoPrerequisites, describeMissing, missingPrerequisites } from './prerequisites.js';

const root = resolve(new URL('..', import.meta.url).pathname);
const exitWhenDone = process.argv.includes('--exit');
// As root the embedded PostgreSQL runs as its own user: keep its data where that user can reach it.
const dataDir =
  process.env.BENCHLINE_DATA_DIR ??
  (process.getuid?.() === 0 ? '/var/lib/benchline/demo' : join(root, '.benchline', 'demo'));
const missing = describeMissing(missingPrerequisites(demoPrerequisites));
if (missing) {
  process.stderr.write(`npm run demo: ${missing}\n`);
  process.exit(1);
}
if (process.argv.includes('--build')) {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const built = existsSync(join(root, 'dist', 'src', 'cli', 'main.js'));
// The compiled CLI starts fast; from sources it needs tsx.
const cli = built
  ? [join(root, 'bin', 'benchline.js')]
  : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
const children: ChildProcess[] = [];
// setpriv (util-linux) makes the kernel send SIGTERM to a child when the demo dies in any way.
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
let stopping: Promise<void> | undefined;

function launch(args: string[], options: Parameters<typeof spawn>[2]): ChildProcess {
  const child = setpriv
    ? spawn(setpriv, ['--pdeathsig', 'TERM', process.execPath, ...cli, ...args], options)
    : spawn(process.execPath, [...cli, ...args], options);
  children.push(child);
  child.once('exit', () => children.splice(children.indexOf(child), 1));
  return child;
}

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

/** Runs one CLI command to its end — asynchronously, so a signal meanwhile is handled at once. */
async function benchline(args: string[], env: NodeJS.ProcessEnv, capture = false): Promise<string> {
  const child = launch(args, { env, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk;
  });
  const status = await new Promise<number | null>((done) => child.once('exit', done));
  if (stopping) await new Promise(() => {});
  if (status !== 0) throw new Error(`benchline ${args.slice(0, 2).join(' ')} failed (exit ${status})`);
  return out.trim();
}

/**
 * Starts a long-lived child (the server, the runner). If it exits before the demo stops, the demo
 * stops too and says why, with the child's last lines: a run would otherwise wait for it for ever.
 */
function start(args: string[], env: NodeJS.ProcessEnv, log: string): ChildProcess {
  const child = launch(args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let tail: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    if (process.env.DEMO_VERBOSE) process.stderr.write(`[${log}] ${chunk}`);
    tail = [...tail, ...String(chunk).split('\n').filter(Boolean)].slice(-8);
  });
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(
      `\ndemo failed: the ${log} exited (${signal ?? `code ${code}`}); its last lines:\n${tail.join('\n')}\n` +
        'rerun with DEMO_VERBOSE=1 to see all it says',
    );
    void shutdown(1);
  });
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
  for (const child of [...children].reverse()) {
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
  // The runner's work dir is inside: its sandboxes run as users of their own, which must be able to
  // pass through (search, not list) or the runner refuses to start (it could not hold the process limit).
  chmodSync(dataDir, (statSync(dataDir).mode & 0o7777) | 0o011);
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
  const token = (await benchline(['admin', 'token'], env, true)).split('\n').at(-1)!;
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

  say('Building the benchmark images with `benchline image build` and pushing them');
  const context = mkdtempSync(join(tmpdir(), 'benchline-demo-'));
  try {
    buildDemoContext(context);
    const build = ['image', 'build', context, '--entrypoint', '/bin/sh', '--cmd', '/bench/run.sh'];
    await benchline([...build, 'demo/bench:v1'], env);
    // v2 is the "next commit": the same script doing ten times the work per round.
    await benchline([...build, 'demo/bench:v2', '--env', 'WORK=10'], env);
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
      `Run ${run} of 5${regression ? ': image v2 does ten times the work per round — a regression, confirmed against v1' : ''}`,
    );
    const args = ['run', '--project', 'demo', '--branch', 'main', '--testbed', 'demo', '--adapter', 'json'];
    args.push('--image', regression ? 'demo/bench:v2' : 'demo/bench:v1', ...thresholds);
    await benchline(args, env).catch(() => {
      throw new Error(`run ${run} failed`);
    });
  }

  const alerts = await graphql(
    url,
    token,
    '{ alerts(project: "demo", status: ACTIVE) { edges { node { id verdict } } } }',
  );
  const edges: Array<{ node: { verdict: string } }> = alerts.data?.alerts?.edges ?? [];
  const confirmed = edges.filter((edge) => edge.node.verdict === 'CONFIRMED').length;
  say(
    `${edges.length} active alert${edges.length === 1 ? '' : 's'} in project demo, ${confirmed} confirmed by an interleaved re-run`,
  );
  console.log(`\nThe console: ${url}/projects/demo\nSign in there with the admin token: ${token}\n`);
  console.log(
    `The demo's data (database, registry, runner) is in ${dataDir}; to start afresh: rm -rf ${dataDir}`,
  );
  if (exitWhenDone) return;
  console.log('The server and the runner keep running. Ctrl-C stops everything.');
  await new Promise(() => {});
}

/** Stops every child, then exits; the first signal wins, later ones while stopping are ignored. */
function shutdown(code: number): Promise<void> {
  stopping ??= stopAll().then(() => process.exit(code));
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void shutdown(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
}
// `npm run demo` killed (even by SIGKILL) leaves this process reparented: stop as if signalled.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown(129);
}, 1000).unref();

main()
  .then(() => shutdown(0))
  .catch((error) => {
    if (stopping) return;
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : error}`);
    void shutdown(1);
  });
