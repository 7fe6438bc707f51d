import { type ChildProcess, spawn } from 'node:child_process';
import { connect as netConnect } from 'node:net';

/** A server a test started (moto_server, nats-server, docker-registry …), listening on its port. */
export interface ListeningProcess {
  child: ChildProcess;
  /** Its stdout and stderr so far, interleaved, the last 256 KiB. */
  output(): string;
  /** Sends `signal` (SIGKILL after `graceMs` if it lingers); resolves once it has exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface ListeningOptions {
  command: string;
  args: string[];
  /** The port it was told to listen on (127.0.0.1). */
  port: number;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Added to the error when it does not come up: what to install, say. */
  hint?: string;
}

const OUTPUT_BYTES = 256 * 1024;

export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Spawns a server for a test or bench and resolves once it accepts connections on `port`.
 *
 * It runs under `setpriv --pdeathsig KILL`: the kernel kills it when the process that started it
 * dies, however that ends — a vitest worker killed on a timeout or crashing, a bench stopped with
 * ^C. Neither afterAll nor stop() runs then, and such servers used to outlive CI jobs. (The signal
 * follows the starting thread: vitest runs test files in forks, whose main thread this is.)
 */
export async function spawnListening(options: ListeningOptions): Promise<ListeningProcess> {
  let output = '';
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', options.command, ...options.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk).slice(-OUTPUT_BYTES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  // A process that failed to spawn may never say 'exit'.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    void spawnError.then(() => resolve());
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const started: ListeningProcess = {
    child,
    output: () => output,
    async stop(signal = 'SIGTERM', graceMs = 3000) {
      if (!running()) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const until = Date.now() + (options.timeoutMs ?? 20_000);
  while (!(await listening(options.port))) {
    const failed = await Promise.race([spawnError, new Promise<null>((r) => setTimeout(r, 50, null))]);
    if (failed || !running() || Date.now() > until) {
      await started.stop('SIGKILL');
      const why =
        failed?.message ?? (running() ? 'timed out' : `exited (${child.exitCode ?? child.signalCode})`);
      throw new Error(
        `${options.command} did not start on port ${options.port}: ${why}${options.hint ? ` (${options.hint})` : ''}${
          output ? `\n${output.slice(-2000)}` : ''
        }`,
      );
    }
  }
  return started;
}
