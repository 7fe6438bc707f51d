import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/free-port.js';

// Setting up as a newcomer meets it: `npm run demo` and `npm test` on a machine that lacks a
// prerequisite, and a demo stopped by a signal at any point.
const database = await createTestDatabase();
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A PATH holding node and sh only: a machine where nothing else is installed. */
function barePath(): string {
  const bin = tempDir('benchline-bare-path-');
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync('/bin/sh', join(bin, 'sh'));
  return bin;
}

function collect(child: ChildProcess): { text: () => string; exit: Promise<number | null> } {
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return { text: () => output, exit: new Promise((resolve) => child.on('exit', resolve)) };
}

/** Live processes whose environment names this data directory: what the demo started. */
function processesUsing(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (environ.split('\0').includes(`BENCHLINE_DATA_DIR=${dataDir}`)) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return condition();
}

describe('prerequisites', () => {
  it('npm run demo names what is missing and how to install it, in one line', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--exit'], {
      env: { ...process.env, PATH: barePath(), BENCHLINE_DATA_DIR: tempDir('benchline-demo-test-') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { text, exit } = collect(child);
    expect(await exit).toBe(1);
    expect(text().trim().split('\n')).toEqual([
      expect.stringMatching(
        /^npm run demo: missing: bwrap .*install with: sudo apt-get install -y bubblewrap/,
      ),
    ]);
  });

  it('npm test names what is missing and how to install it, in one line, before any test runs', async () => {
    const child = spawn(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', 'test/cli/args.test.ts'],
      {
        env: { ...process.env, PATH: barePath(), CHROMIUM_PATH: '/nonexistent/chromium', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const { text, exit } = collect(child);
    expect(await exit).not.toBe(0);
    const lines = text().split('\n');
    const line = lines.find((l) => l.startsWith('npm test: missing:'));
    expect(line, text()).toMatch(
      /bwrap.*slirp4netns.*skopeo.*umoci.*tmux.*\/nonexistent\/chromium.*nats-server.*haproxy.*install with: sudo apt-get install -y bubblewrap slirp4netns skopeo umoci tmux chromium nats-server haproxy$/,
    );
    expect(text()).not.toMatch(/\n\s+at /);
    expect(text()).not.toMatch(/Test Files/);
  }, 60_000);
});

describe('stopping the demo', () => {
  // SIGKILL cannot be caught: the children's parent-death signal stops them.
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGKILL'] as const) {
    it(`${signal} to the demo stops the server and runner it started`, async () => {
      const dataDir = tempDir('benchline-demo-test-');
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          BENCHLINE_DATA_DIR: dataDir,
          PORT: String(port),
          CI: 'true',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const { text, exit } = collect(child);
      expect(await until(() => text().includes('Run 1 of 5'), 120_000), text()).toBe(true);
      // The server and the runner are up, and a run is in progress.
      expect(processesUsing(dataDir).length).toBeGreaterThanOrEqual(3);
      child.kill(signal);
      await exit;
      expect(await until(() => processesUsing(dataDir).length === 0, 30_000), text()).toBe(true);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => 'answered',
        () => 'closed',
      );
      expect(health).toBe('closed');
    }, 180_000);
  }
});
