// Cold start of the installed CLI: `node bin/benchline.js --help`, against `node -e 0` (Node's own start).
// Commands register without loading their actions (Ink, React, graphql stay unloaded), so help is cheap.
// Then a local `benchline run` in a terminal (a pty from `script`): when its first frame shows and how
// long it takes to exit after the report, in the Ink view against plain mode (CI=1) in the same run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
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
    const median = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    const spread = (values: number[]) =>
      `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} ms`;
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

export async function run(): Promise<Figure[]> {
  build();
  const [cli, node] = measure([
    ['node', 'bin/benchline.js', '--help'],
    ['node', '-e', '0'],
  ]);
  const runs = await runTimings();
  return [
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
  for (const f of await run()) {
    console.log(
      `cli.${f.name}  ${f.value.toFixed(0)} ms (median)  (goal ${f.goal})  anchor ${f.anchorName} ` +
        `${f.anchor?.toFixed(0)} ms  ratio ${f.ratio?.toFixed(2)}`,
    );
  }
}
