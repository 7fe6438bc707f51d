import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../src/cli/commands/run.js';
import { ADAPTER_NAMES } from '../../src/server/results/adapters/index.js';
import { CLI_ARGV } from '../helpers/cli-argv.js';
import { runBenchline } from '../helpers/processes.js';
import { startTestServer } from '../helpers/server.js';

// A person's view: the real CLI in a real terminal (tmux), read back from the screen.
const server = await startTestServer();
const { __type } = await server.client().data('{ __type(name: "Mutation") { fields { name } } }');
const hasCreateRun: boolean = __type.fields.some((f: { name: string }) => f.name === 'createRun');

const root = fileURLToPath(new URL('../..', import.meta.url));
const socket = `benchline-cli-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
let sessions = 0;

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // no session was started
  }
});

/** Starts the CLI in a 120×40 terminal; the pane stays after it exits so the screen can be read. */
function startCli(args: string, options: { columns?: number; env?: string } = {}): string {
  const name = `cli${++sessions}`;
  const command =
    `cd ${root} && env -u CI BENCHLINE_HOST=${server.url} XDG_CONFIG_HOME=/nonexistent ${options.env ?? ''} ` +
    `node ${CLI_ARGV.join(' ')} ${args}; echo "[exit $?]"; sleep 600`;
  tmux('new-session', '-d', '-s', name, '-x', String(options.columns ?? 120), '-y', '40', command);
  return name;
}

/** The CLI as a script or CI runs it: no terminal; its exit code, stdout and stderr. */
const runCli = (args: string[], env: Record<string, string> = {}) =>
  runBenchline(args, { BENCHLINE_HOST: server.url, XDG_CONFIG_HOME: '/nonexistent', ...env });

async function screenWhen(name: string, done: (screen: string) => boolean): Promise<string> {
  let screen = '';
  for (let i = 0; i < 300; i++) {
    screen = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', name);
    if (done(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the screen never got there:\n${screen}`);
}

describe('in a real terminal', () => {
  it('shows the help with commands and examples', async () => {
    const name = startCli('run --help');
    const screen = await screenWhen(name, (s) => s.includes('[exit'));
    expect(screen).toContain('Usage: benchline run [options] [command...]');
    expect(screen).toContain('--threshold-upper-boundary');
    expect(screen).toContain('Examples:');
    expect(screen).toContain('[exit 0]');
  });

  it('lists every adapter, the --iter default and the threshold tests in run --help', async () => {
    const { stdout } = await runCli(['run', '--help']);
    for (const adapter of ADAPTER_NAMES) expect(stdout).toContain(`"${adapter}"`);
    expect([...ADAPTERS].sort()).toEqual([...ADAPTER_NAMES].sort());
    expect(stdout).toMatch(/--iter <n>\s+run the benchmark this many times \(default:\s+1\)/);
    expect(stdout).toMatch(
      /"static",\s+"percentage",\s+"z_score",\s+"t_test",\s+"log_normal",\s+"iqr",\s+"delta_iqr"/,
    );
    expect(stdout).toMatch(/"human",\s+"json",\s+"markdown"/);
    const bad = await runCli([
      'run',
      '--project',
      'p',
      '--threshold-measure',
      'latency',
      '--threshold-test',
      'ttest',
      'true',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Allowed choices are static, percentage, z_score');
  });

  it('names the data directory and the environment variables in server --help', async () => {
    const { stdout } = await runCli(['server', '--help'], { BENCHLINE_DATA_DIR: '/srv/bl-data' });
    expect(stdout).toContain('Data directory: /srv/bl-data');
    for (const name of [
      'DATABASE_URL',
      'BENCHLINE_PUBLIC_URL',
      'BENCHLINE_DEFAULT_PLAN',
      'BENCHLINE_<TIER>_CONCURRENCY',
      'LOG_LEVEL',
    ]) {
      expect(stdout).toContain(name);
    }
  });

  it.skipIf(!hasCreateRun)(
    'fits the results table in an 80-column terminal, in Ink and in plain mode',
    async () => {
      const name = 'parse/a-benchmark-name-far-too-long-for-an-eighty-column-terminal';
      const bmf = JSON.stringify({ [name]: { latency: { value: 1234.5 } }, noop: { latency: { value: 7 } } });
      const argv = ['run', '--project', 'cli-narrow', '--adapter', 'json', '--threshold-measure', 'latency'];
      argv.push('--threshold-test', 'static', '--threshold-upper-boundary', '100', `printf '${bmf}'`);
      const args = argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
      // A first run gives every series a history, so the table would carry its sparkline column.
      expect((await runCli(argv)).code).toBe(0);
      for (const env of ['', 'CI=1']) {
        const session = startCli(args, { columns: 80, env });
        // -J joins a wrapped line back: a row the terminal broke would come back longer than 80.
        const screen = await screenWhen(session, (s) => s.includes('[exit'));
        const lines = screen.split('\n').map((l) => l.trimEnd());
        const table = lines.filter((l) => /^(Benchmark|parse|noop)/.test(l));
        expect(table, screen).toHaveLength(3);
        for (const line of table) expect(line.length, line).toBeLessThanOrEqual(80);
        expect(table[0], screen).toMatch(
          /^Benchmark\s+Measure\s+Value\s+Baseline\s+Δ%\s+Lower\s+Upper\s+Alert$/,
        );
        // Every number whole, on the row of its name; the long name cut with an ellipsis.
        const long = table.find((l) => l.startsWith('parse/'));
        const noop = table.find((l) => l.startsWith('noop'));
        expect(long).toMatch(
          /^parse\/a-bench\S*…\s+Latency \(ns\)\s+1,234\.5\s+\S+\s+\S+\s+-\s+100\s+(⚠|ALERT)/,
        );
        expect(noop).toMatch(/^noop\s+Latency \(ns\)\s+7\s+\S+\s+\S+\s+-\s+100$/);
        expect(screen).toContain('[exit 0]');
      }
    },
    240_000,
  );

  it.skipIf(!hasCreateRun)('shows a local run live, then its results table', async () => {
    const bmf = `'{\\"sort/1000\\": {\\"latency\\": {\\"value\\": 1234.5}}, \\"noop\\": {\\"latency\\": {\\"value\\": 7}}}'`;
    const name = startCli(
      `run --project cli-tmux --adapter json "echo warming up >&2; sleep 1; printf ${bmf}"`,
    );
    const screen = await screenWhen(name, (s) => s.includes('[exit'));
    expect(screen).toMatch(/✔ running echo warming up .* \d+\.\ds/);
    expect(screen).toMatch(/✔ submitting run \d+\.\ds/);
    expect(screen).toMatch(/Benchmark\s+Measure\s+Value\s+Baseline\s+Δ%\s+Lower\s+Upper\s+Alert/);
    expect(screen).toMatch(/sort\/1000\s+Latency \(ns\)\s+1,234\.5/);
    expect(screen).toMatch(/noop\s+Latency \(ns\)\s+7/);
    expect(screen).toMatch(/Report: http:\/\/127\.0\.0\.1:\d+\/projects\/cli-tmux\/reports\/[0-9a-f-]{36}/);
    expect(screen).toContain('[exit 0]');
    // The live log tail is gone once the run succeeded; no spinner is left behind.
    expect(screen).not.toContain('warming up\n');
    expect(screen).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
  });
});

describe('outside a terminal', () => {
  it.skipIf(!hasCreateRun)(
    'prints a pull-request report with --format markdown; under GitHub Actions also the step summary and annotations',
    async () => {
      const summaryFile = join(mkdtempSync(join(tmpdir(), 'benchline-cli-md-')), 'summary.md');
      const bmf = JSON.stringify({ 'b|pipe': { latency: { value: 50 } }, quiet: { latency: { value: 5 } } });
      const argv = ['run', '--project', 'cli-md', '--adapter', 'json', '--threshold-measure', 'latency'];
      argv.push('--threshold-test', 'static', '--threshold-upper-boundary', '10', '--format', 'markdown');
      const github = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile, CI: 'true' };
      try {
        const gated = await runCli([...argv, '--err', `printf '${bmf}'`], github);
        expect(gated.code).toBe(1);
        const report = gated.stdout;
        expect(report).toMatch(/^## Benchline · cli-md\n\n\*\*🚨|^## Benchline · cli-md\n\n\*\*⚠️/);
        expect(report).toContain('1 alert (1 UNCONFIRMABLE): the run fails (--err)');
        expect(report).toContain('| Benchmark | Measure | Value | Baseline | Δ% | Lower | Upper | Alert |');
        expect(report).toContain('|---|---|---:|---:|---:|---:|---:|---|');
        // A name with a pipe stays in its cell.
        expect(report).toMatch(
          /\| b\\\|pipe \| Latency \(ns\) \| 50 \| - \| - \| - \| 10 \| ⚠️ upper UNCONFIRMABLE \|/,
        );
        expect(report).toMatch(/\| quiet \| Latency \(ns\) \| 5 \| - \| - \| - \| 10 \| {3}\|/);
        expect(report).toContain('### Alerts');
        expect(report).toMatch(
          /- ⚠️ b\\\|pipe · Latency: 50 ns is above the upper limit 10 ns · UNCONFIRMABLE/,
        );
        expect(report).toMatch(
          /Console: \[report\]\(http:\/\/127\.0\.0\.1:\d+\/projects\/cli-md\/reports\/[0-9a-f-]{36}\)/,
        );
        // stdout is the report alone: progress and annotations went to stderr.
        expect(report).not.toContain('submitting run');
        expect(gated.stderr).toContain('submitting run');
        // --err makes the alert fail the run, so its annotation is an error.
        expect(gated.stderr).toMatch(
          /^::error title=Benchline alert \(UNCONFIRMABLE\)::b\|pipe · Latency: 50 ns is above the upper limit 10 ns · UNCONFIRMABLE · http:\/\/127\.0\.0\.1:\d+\/projects\/cli-md\/reports\//m,
        );
        expect(readFileSync(summaryFile, 'utf8')).toBe(`${report}\n`);

        // Without --err the same alert is a warning; without GitHub Actions there are no annotations.
        const warned = await runCli([...argv, `printf '${bmf}'`], github);
        expect(warned.code).toBe(0);
        expect(warned.stderr).toMatch(/^::warning title=Benchline alert \(UNCONFIRMABLE\)::b\|pipe/m);
        expect(readFileSync(summaryFile, 'utf8')).toBe(`${report}\n${warned.stdout}\n`);
        const local = await runCli([...argv, `printf '{"quiet": {"latency": {"value": 5}}}'`]);
        expect(local.code).toBe(0);
        expect(local.stdout).toContain('**✅ no regressions**');
        expect(local.stderr).not.toContain('::');
      } finally {
        rmSync(dirname(summaryFile), { recursive: true, force: true });
      }
    },
    240_000,
  );

  it.skipIf(!hasCreateRun)(
    'prints one JSON document with --format json and exits 1 on alerts with --err',
    async () => {
      const args = [
        'run',
        '--project',
        'cli-json',
        '--adapter',
        'json',
        '--threshold-measure',
        'latency',
        '--threshold-test',
        'static',
        '--threshold-upper-boundary',
        '10',
        '--err',
        '--format',
        'json',
        `printf '{"b": {"latency": {"value": 50}}}'`,
      ];
      const result = await runCli(args);
      expect(result.code).toBe(1);
      const document = JSON.parse(result.stdout);
      expect(document).toMatchObject({
        outcome: 'ok',
        error: { code: 'ALERTS' },
        results: [
          {
            benchmark: { name: 'b', slug: 'b' },
            measure: { slug: 'latency' },
            value: 50,
            upperLimit: 10,
            alert: { side: 'UPPER', limit: 10 },
          },
        ],
        alerts: [{ text: expect.stringContaining('above the upper limit 10') }],
        logs: [{ stream: 'STDOUT', text: expect.stringContaining('latency') }],
      });
    },
  );
});
