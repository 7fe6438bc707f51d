import { type ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { ExecutorError, type RunStatus } from './executor.js';

export interface SuperviseOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  /** Written to the child's fd 3, then closed (bubblewrap's `--args 3`: no argument shows in its argv). */
  fd3?: Buffer;
  /** Also open fds 4 and 5 to the child as pipes (bubblewrap's `--info-fd 4 --block-fd 5`). */
  setupFds?: boolean;
  /** Called once the child exists. */
  onSpawn?(child: ChildProcess): void;
}

// A grandchild that escaped the group may hold the pipes open; do not wait on it forever.
const PIPE_GRACE_MS = 500;

function drained(stream: Readable | null): Promise<void> {
  if (!stream || stream.destroyed || stream.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('close', resolve);
    stream.once('end', resolve);
  });
}

/**
 * Runs a command in its own process group and kills the whole group with SIGKILL on timeout or
 * cancel, so nothing the workload forked outlives the run.
 */
export function supervise(options: SuperviseOptions): Promise<RunStatus> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let timedOut = false;
    let canceled = false;
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: [
        'ignore',
        'pipe',
        'pipe',
        options.fd3 ? 'pipe' : 'ignore',
        ...(options.setupFds ? (['pipe', 'pipe'] as const) : []),
      ],
    });
    if (options.fd3) {
      const fd3 = child.stdio[3] as NodeJS.WritableStream & { on(e: 'error', f: () => void): void };
      // A child that dies before reading it is reported by its exit, not by this pipe.
      fd3.on('error', () => {});
      fd3.end(options.fd3);
    }
    if (child.pid !== undefined) options.onSpawn?.(child);
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    child.stdout!.on('data', (chunk: Buffer) => options.onStdout(chunk));
    child.stderr!.on('data', (chunk: Buffer) => options.onStderr(chunk));

    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => {
      if (timedOut) return;
      canceled = true;
      killGroup();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };

    child.once('error', (error) => {
      cleanup();
      reject(new ExecutorError(`cannot start ${options.command}: ${error.message}`, { cause: error }));
    });
    child.once('exit', (exitCode, signal) => {
      cleanup();
      const durationMs = performance.now() - started;
      // Stragglers left in the group (host executor) go with the workload, as in a container.
      killGroup();
      const pipes = Promise.all([drained(child.stdout), drained(child.stderr)]);
      let grace: NodeJS.Timeout | undefined;
      const late = new Promise<void>((r) => {
        grace = setTimeout(r, PIPE_GRACE_MS);
      });
      void Promise.race([pipes, late]).then(() => {
        clearTimeout(grace);
        child.stdout!.destroy();
        child.stderr!.destroy();
        resolve({ exitCode, signal, timedOut, canceled, durationMs });
      });
    });
  });
}
