import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CLI_ARGV } from './cli-argv.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Spawned {
  name: string;
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  /** stdout alone, as bytes arrived (a test comparing a program's output byte for byte). */
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** Sends the signal if the process still runs; resolves once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const living = new Set<Spawned>();

/** `benchline …` from the source tree, in its own process. Every process is tracked for killAll(). */
export function spawnBenchline(name: string, args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, [...CLI_ARGV, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    out += chunk;
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawned: Spawned = {
    name,
    child,
    output: () => out,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  living.add(spawned);
  void exited.then(() => living.delete(spawned));
  return spawned;
}

export interface BenchlineResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `benchline …` from the source tree run to its end as a script or CI runs it (no terminal), with
 * `env` over this process's: its exit code and output, a failing exit being an answer, not an error.
 */
export function runBenchline(args: string[], env: Record<string, string> = {}): Promise<BenchlineResult> {
  return promisify(execFile)(process.execPath, [...CLI_ARGV, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: BenchlineResult) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** Kills (SIGKILL) every process spawned here that still runs; for afterEach/afterAll, even on failure. */
export async function killAll(): Promise<void> {
  await Promise.all([...living].map((p) => p.kill('SIGKILL')));
}

/** The last lines of every tracked process's output, for a failure message. */
export function describeProcesses(processes: Spawned[], lines = 30): string {
  return processes
    .map(
      (p) =>
        `--- ${p.name} (exit ${p.child.exitCode ?? p.child.signalCode ?? 'running'}) ---\n${p.output().split('\n').slice(-lines).join('\n')}`,
    )
    .join('\n');
}

/** Thrown from an until() check: stop waiting at once (a process died), do not retry. */
export class GiveUp extends Error {}

/**
 * Polls `check` until it returns something other than undefined/false; throws after `timeoutMs` with
 * `what` so a stuck test says what it was waiting for.
 */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
  intervalMs = 150,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface ServerProcessOptions {
  port: number;
  databaseUrl: string;
  dataDir: string;
  env?: Record<string, string>;
}

/** `benchline server` on a fixed port; resolves once /healthz answers. */
export async function startServerProcess(name: string, options: ServerProcessOptions): Promise<Spawned> {
  const server = spawnBenchline(name, ['server'], {
    PORT: String(options.port),
    DATABASE_URL: options.databaseUrl,
    BENCHLINE_DATA_DIR: options.dataDir,
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await until(
      `${name} to answer /healthz`,
      async () => {
        if (server.child.exitCode !== null) throw new GiveUp(`${name} exited with ${server.child.exitCode}`);
        const res = await fetch(`${url}/healthz`);
        return res.ok;
      },
      60_000,
      200,
    );
  } catch (error) {
    await server.kill();
    throw new Error(`${String(error)}\n${describeProcesses([server])}`);
  }
  return server;
}

/** `benchline runner up` with bubblewrap; resolves once it says it is up. */
export async function startRunnerProcess(
  name: string,
  options: { serverUrl: string; key: string; workDir: string },
): Promise<Spawned> {
  const runner = spawnBenchline(
    name,
    [
      'runner',
      'up',
      '--server',
      options.serverUrl,
      '--key',
      options.key,
      '--executor',
      'bwrap',
      '--work-dir',
      options.workDir,
      // The test host runs as root without cgroups: the process limit is the watchdog alone, which
      // a runner refuses to serve specs with unless told (the chaos jobs never fork much).
      '--allow-unenforced-limits',
    ],
    { LOG_LEVEL: 'info' },
  );
  await until(
    `${name} to be up`,
    () => {
      if (runner.child.exitCode !== null) {
        throw new GiveUp(`${name} exited with ${runner.child.exitCode}\n${describeProcesses([runner])}`);
      }
      return runner.output().includes('runner up:');
    },
    60_000,
  );
  return runner;
}
