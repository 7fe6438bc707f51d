import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRunner } from '../../src/runner/main.js';
import { CLI_ARGV } from '../helpers/cli-argv.js';
import { runBenchline } from '../helpers/processes.js';
import { pushImage, scriptLayers, type World } from '../runner/fixtures.js';
import { worldWithRunner } from './fixtures.js';

// A person's view of a confirmed regression: the real CLI in a real terminal (tmux) against a real
// server and runner, staying on screen while the alert is confirmed, then showing its verdict.

const root = fileURLToPath(new URL('../..', import.meta.url));
const socket = `benchline-confirm-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

let world: World;
let runner: RunningRunner;
let slow: string;
let fast: string;

beforeAll(async () => {
  ({ world, runner } = await worldWithRunner());
  // Each arm takes a moment, so the terminal shows the rounds go by.
  fast = await pushImage(world, scriptLayers(`sleep 0.3\necho '{"bench1": {"latency": {"value": 100}}}'\n`));
  slow = await pushImage(world, scriptLayers(`sleep 0.3\necho '{"bench1": {"latency": {"value": 150}}}'\n`));
});

afterAll(async () => {
  try {
    tmux('kill-server');
  } catch {
    // no session was started
  }
  await runner?.stop({ graceMs: 0 });
});

const runArgs = (image: string, extra = '') =>
  `run --project ${world.project} --testbed ci --adapter json --image ${image} --spec ${world.specs.closed} ` +
  `--threshold-measure latency --threshold-test percentage --threshold-upper-boundary 0.1 ${extra}`;

const cliEnv = () => ({
  BENCHLINE_HOST: world.server.url,
  BENCHLINE_TOKEN: world.server.adminToken,
  XDG_CONFIG_HOME: '/nonexistent',
});

async function runPlain(args: string): Promise<{ code: number; stdout: string }> {
  return runBenchline(args.split(' ').filter(Boolean), cliEnv());
}

async function screenWhen(
  name: string,
  done: (screen: string) => boolean,
  seen: string[] = [],
): Promise<string> {
  let screen = '';
  for (let i = 0; i < 1200; i++) {
    screen = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', name);
    seen.push(screen);
    if (done(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the screen never got there:\n${screen}`);
}

describe('benchline run while its alerts are confirmed', () => {
  it('stays on screen through the rounds, then shows the verdict, change and interval; --err fails on it', async () => {
    expect((await runPlain(runArgs(fast, '--branch tmux'))).code).toBe(0);

    const command =
      `cd ${root} && env -u CI BENCHLINE_HOST=${world.server.url} BENCHLINE_TOKEN=${world.server.adminToken} ` +
      `XDG_CONFIG_HOME=/nonexistent node ${CLI_ARGV.join(' ')} ${runArgs(slow, '--branch tmux --err')}; ` +
      'echo "[exit $?]"; sleep 600';
    tmux('new-session', '-d', '-s', 'confirm', '-x', '160', '-y', '50', command);
    const screens: string[] = [];
    const screen = await screenWhen('confirm', (s) => s.includes('[exit'), screens);
    // While confirming, the phase line named the round and arm running.
    expect(screens.some((s) => /confirming 1 alert · round [2-5]\/5 · arm (head|base)/.test(s))).toBe(true);
    expect(screen).toMatch(/✔ confirming 1 alert/);
    expect(screen).toMatch(/bench1\s+Latency \(ns\)\s+150\s+100\s+\+50\.00%.*⚠ upper CONFIRMED \+50\.00% \[/);
    expect(screen).toContain('1 alert');
    expect(screen).toContain('[exit 1]');
  }, 180_000);

  it('--format json carries the verdict, p-values, change, interval and both arms’ values', async () => {
    expect((await runPlain(runArgs(fast, '--branch json'))).code).toBe(0);
    const result = await runPlain(runArgs(slow, '--branch json --format json --err --confirm-rounds 5'));
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document.confirmation).toMatchObject({ status: 'PROCESSED', rounds: 5 });
    const [row] = document.results;
    expect(row.alert).toMatchObject({
      side: 'UPPER',
      verdict: 'CONFIRMED',
      evidence: {
        test: 'MANN_WHITNEY',
        rounds: 5,
        head: [150, 150, 150, 150, 150],
        base: [100, 100, 100, 100, 100],
      },
    });
    expect(row.alert.evidence.pValue).toBeCloseTo(1 / 252, 10);
    expect(row.alert.evidence.changePercent).toBeCloseTo(50, 6);
    expect(document.alerts).toMatchObject([{ verdict: 'CONFIRMED', active: true }]);
  }, 180_000);

  it('--err passes when the confirmation clears the alert', async () => {
    // The baseline ran 100 once, by luck; re-run, the two images are the same.
    const same = await pushImage(world, scriptLayers(`echo '{"bench1": {"latency": {"value": 150}}}'\n`));
    const other = await pushImage(
      world,
      scriptLayers(`echo '{"bench1": {"latency": {"value": 150}}}'\necho x >&2\n`),
    );
    expect((await runPlain(runArgs(same, '--branch clear'))).code).toBe(0);
    // Push the history down so the next run of the same value alerts.
    await world.database.db
      .updateTable('metric')
      .set({ value: 100 })
      .where('image_digest', 'is not', null)
      .where('branch_id', 'in', (eb) => eb.selectFrom('branch').select('id').where('slug', '=', 'clear'))
      .execute();
    const result = await runPlain(runArgs(other, '--branch clear --format json --err'));
    const document = JSON.parse(result.stdout);
    expect(document.results[0].alert.verdict).toBe('CLEARED');
    expect(document.alerts).toMatchObject([{ verdict: 'CLEARED', active: false }]);
    expect(result.code).toBe(0);
  }, 180_000);
});
