import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Executor, RunOptions, RunResult } from './executor.js';
import { type LimitCapabilities, limitPrefix } from './limits.js';
import { raiseSessionPriority } from './priority.js';
import { readSandboxFiles } from './sandbox-paths.js';
import { supervise } from './supervise.js';

export interface HostExecutorOptions {
  capabilities?: LimitCapabilities;
  scratchRoot?: string;
}

/**
 * No isolation at all: the command runs on the host as the runner's user, for trusted local use only
 * (the runner enables it behind a loud flag). The rootfs is ignored; the working directory is used when
 * it exists on the host, else a fresh scratch directory. Output paths are host paths.
 */
export class HostExecutor implements Executor {
  readonly name = 'host';
  readonly #capabilities: LimitCapabilities | undefined;
  readonly #scratchRoot: string;

  constructor(options: HostExecutorOptions = {}) {
    this.#capabilities = options.capabilities;
    this.#scratchRoot = options.scratchRoot ?? tmpdir();
  }

  async run(options: RunOptions): Promise<RunResult> {
    const scratch = await mkdtemp(join(this.#scratchRoot, 'benchline-host-'));
    const cwdExists = await stat(options.workingDir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    const cwd = cwdExists ? options.workingDir : scratch;
    const env: Record<string, string> = { TMPDIR: scratch, ...options.env };
    if (env.PATH === undefined && process.env.PATH) env.PATH = process.env.PATH;
    const prefix = this.#capabilities ? limitPrefix(options.limits, this.#capabilities) : [];
    const [command, ...args] = [...prefix, ...options.argv];
    try {
      const status = await supervise({
        command,
        args,
        env,
        cwd,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        onStdout: options.onStdout,
        onStderr: options.onStderr,
        onSpawn: (child) => raiseSessionPriority(child.pid!, this.#capabilities?.jobNice),
      });
      return {
        ...status,
        readFiles: (paths, limits) =>
          readSandboxFiles([{ sandboxPath: '/', hostPath: '/' }], cwd, paths, limits),
        dispose: () => rm(scratch, { recursive: true, force: true }),
      };
    } catch (error) {
      await rm(scratch, { recursive: true, force: true });
      throw error;
    }
  }
}
