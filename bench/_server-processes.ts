// More servers for a bench, each `benchline server` in a process of its own on the same database,
// as a deployment scales out: a bench whose one server's event loop is the limit can then show
// what the rest of the system does with more cores.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
// Generous: on a loaded machine tsx alone takes tens of seconds, and the first server migrates.
const READY_TIMEOUT_MS = 90_000;

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`a bench server exited with ${child.exitCode}: ${stderr()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`a bench server was not ready within ${READY_TIMEOUT_MS / 1000} s: ${stderr()}`);
}

export async function startServerProcesses(
  count: number,
  databaseUrl: string,
): Promise<{ urls: string[]; pids: number[]; stop(): Promise<void> }> {
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null) return;
        child.kill('SIGTERM');
        await once(child, 'exit');
      }),
    );
  };
  try {
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'server', '--port', String(port)], {
        env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.push(child);
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
      });
      const url = `http://127.0.0.1:${port}`;
      await waitReady(url, child, () => stderr);
      urls.push(url);
    }
    return { urls, pids: children.map((child) => child.pid as number), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
