import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GiveUp, until } from './processes.js';

// The servers tests start (moto_server, nats-server) die with the process that started them, even
// when it is killed outright and no afterAll or stop() runs.

const HOLDER = fileURLToPath(new URL('./hold-test-servers.ts', import.meta.url));

/** Whether `pid` still runs; a zombie waiting for its new parent to reap it does not. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

// Should the test fail half-way, nothing it started outlives it.
const started: number[] = [];
afterAll(() => {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

describe('test servers', () => {
  it('die with the process that started them', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', HOLDER], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(holder.pid as number);
    let out = '';
    holder.stdout.on('data', (chunk) => {
      out += chunk;
    });
    holder.stderr.on('data', (chunk) => {
      out += chunk;
    });
    const line = await until('the holder to start its servers', () => {
      if (holder.exitCode !== null) throw new GiveUp(`the holder exited: ${out}`);
      return out.split('\n').find((l) => l.startsWith('{'));
    });
    const pids = JSON.parse(line) as { moto: number; nats: number };
    started.push(pids.moto, pids.nats);
    expect(alive(pids.moto) && alive(pids.nats)).toBe(true);
    holder.kill('SIGKILL');
    await until(
      'moto_server and nats-server to die with their parent',
      () => !alive(pids.moto) && !alive(pids.nats),
      10_000,
      50,
    );
  });
});
