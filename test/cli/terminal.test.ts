import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ARGV } from '../helpers/cli-argv.js';
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
function startCli(args: string): string {
  const name = `cli${++sessions}`;
  const command =
    `cd ${root} && env -u CI BENCHLINE_HOST=${server.url} XDG_CONFIG_HOME=/nonexistent ` +
    `node ${CLI_ARGV.join(' ')} ${args}; echo "[exit $?]"; sleep 600`;
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', command);
  return name;
}

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
    'prints one JSON document with --format json and exits 1 on alerts with --err',
    async () => {
      const args = [
        ...CLI_ARGV,
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
      const result = await promisify(execFile)(process.execPath, args, {
        cwd: root,
        env: { ...process.env, BENCHLINE_HOST: server.url, XDG_CONFIG_HOME: '/nonexistent' },
      }).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
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
