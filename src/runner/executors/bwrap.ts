import { chmodSync, mkdirSync, mkdtempSync, rmdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { type Executor, ExecutorError, type RunOptions, type RunResult } from './executor.js';
import { type LimitCapabilities, limitPrefix } from './limits.js';
import { ensureDirectoryInRoot, type Mount, readSandboxFiles, resolveInSandbox } from './sandbox-paths.js';
import { supervise } from './supervise.js';

export interface BwrapExecutorOptions {
  bwrapPath?: string;
  /** Map the workload's uid/gid in a user namespace (needed unless the runner is root). */
  userNamespaces?: boolean;
  /** prlimit/taskset availability; limits are skipped when absent. */
  capabilities?: LimitCapabilities;
  /** Where per-run scratch directories go. */
  scratchRoot?: string;
}

interface Identity {
  uid: number;
  gid: number;
}

async function lookup(rootfs: string, file: string, name: string): Promise<string[] | undefined> {
  const host = resolveInSandbox([{ sandboxPath: '/', hostPath: rootfs }], file);
  const text = await readFile(host, 'utf8').catch(() => '');
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === name);
}

/** Docker's `user[:group]`, numeric or named against the image's own /etc/passwd and /etc/group. */
export async function resolveUser(rootfs: string, user: string | undefined): Promise<Identity> {
  if (!user) return { uid: 0, gid: 0 };
  const [userPart, groupPart] = user.split(':', 2);
  let uid: number;
  let gid: number | undefined;
  if (/^\d+$/.test(userPart)) {
    uid = Number(userPart);
    const entry = (
      await readFile(resolveInSandbox([{ sandboxPath: '/', hostPath: rootfs }], '/etc/passwd'), 'utf8').catch(
        () => '',
      )
    )
      .split('\n')
      .map((line) => line.split(':'))
      .find((fields) => fields[2] === userPart);
    gid = entry ? Number(entry[3]) : uid;
  } else {
    const entry = await lookup(rootfs, '/etc/passwd', userPart);
    if (!entry || !/^\d+$/.test(entry[2] ?? ''))
      throw new ExecutorError(`user ${userPart} not found in the image`);
    uid = Number(entry[2]);
    gid = Number(entry[3]);
  }
  if (groupPart !== undefined) {
    if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else {
      const entry = await lookup(rootfs, '/etc/group', groupPart);
      if (!entry || !/^\d+$/.test(entry[2] ?? ''))
        throw new ExecutorError(`group ${groupPart} not found in the image`);
      gid = Number(entry[2]);
    }
  }
  return { uid, gid: Number.isFinite(gid) ? (gid as number) : uid };
}

const isUnder = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

/**
 * Most runs leave /tmp empty: two rmdir calls then beat a recursive walk through the thread pool. Anything
 * left in it (ENOTEMPTY) goes the asynchronous way, so a big tree never blocks the event loop.
 */
async function removeScratch(scratch: string, scratchTmp: string): Promise<void> {
  try {
    rmdirSync(scratchTmp);
    rmdirSync(scratch);
  } catch {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs the workload in a bubblewrap sandbox: fresh namespaces (no network unless allowed), the rootfs
 * read-only as `/`, and writable scratch only at /tmp and the working directory. Both are host
 * directories, so files the workload writes there can be read after it exits.
 */
export class BwrapExecutor implements Executor {
  readonly name = 'bwrap';
  readonly #bwrap: string;
  readonly #userNamespaces: boolean;
  readonly #capabilities: LimitCapabilities | undefined;
  readonly #scratchRoot: string;

  constructor(options: BwrapExecutorOptions = {}) {
    this.#bwrap = options.bwrapPath ?? '/usr/bin/bwrap';
    this.#userNamespaces = options.userNamespaces ?? true;
    this.#capabilities = options.capabilities;
    this.#scratchRoot = options.scratchRoot ?? tmpdir();
  }

  async run(options: RunOptions): Promise<RunResult> {
    const workingDir = posix.resolve('/', options.workingDir || '/');
    const identity = await resolveUser(options.rootfs, options.user);
    // The preparation is a handful of local metadata calls, done synchronously: through the thread pool
    // each would cost a round trip, together about a millisecond per run on a loaded runner.
    // The 0700 scratch directory keeps other host users out of the world-writable /tmp inside it.
    const scratch = mkdtempSync(join(this.#scratchRoot, 'benchline-sandbox-'));
    const scratchTmp = join(scratch, 'tmp');
    const mounts: Mount[] = [
      { sandboxPath: '/', hostPath: options.rootfs },
      { sandboxPath: '/tmp', hostPath: scratchTmp },
    ];
    try {
      mkdirSync(scratchTmp);
      chmodSync(scratchTmp, 0o1777);
      // bwrap cannot create mount points on a read-only root, so they must exist in the image tree.
      for (const dir of ['/proc', '/dev', '/tmp']) ensureDirectoryInRoot(options.rootfs, dir);
      const args = ['--unshare-all'];
      if (options.network) args.push('--share-net');
      args.push('--die-with-parent', '--new-session');
      if (this.#userNamespaces) {
        args.push('--unshare-user', '--uid', String(identity.uid), '--gid', String(identity.gid));
      } else if (identity.uid !== 0 || identity.gid !== 0) {
        throw new ExecutorError('a non-root image user needs user namespaces, which this host lacks');
      }
      args.push(
        '--ro-bind',
        options.rootfs,
        '/',
        '--proc',
        '/proc',
        '--dev',
        '/dev',
        '--bind',
        scratchTmp,
        '/tmp',
      );
      if (workingDir !== '/' && !isUnder(workingDir, '/tmp')) {
        // Resolved inside the rootfs: an image symlinking its workdir to a host path binds nothing of the host.
        const hostWorkDir = ensureDirectoryInRoot(options.rootfs, workingDir);
        if (identity.uid !== 0) chmodSync(hostWorkDir, 0o1777);
        args.push('--bind', hostWorkDir, workingDir);
        mounts.push({ sandboxPath: workingDir, hostPath: hostWorkDir });
      } else if (isUnder(workingDir, '/tmp')) {
        ensureDirectoryInRoot(scratchTmp, workingDir.slice('/tmp'.length) || '/');
      }
      args.push('--clearenv');
      for (const [key, value] of Object.entries(options.env)) {
        if (!key || key.includes('=') || key.includes('\0') || value.includes('\0')) {
          throw new ExecutorError(`bad environment variable name ${JSON.stringify(key)}`);
        }
        args.push('--setenv', key, value);
      }
      args.push('--chdir', workingDir, '--', ...options.argv);

      const prefix = this.#capabilities ? limitPrefix(options.limits, this.#capabilities) : [];
      const [command, ...rest] = [...prefix, this.#bwrap, ...args];
      const status = await supervise({
        command,
        args: rest,
        env: {},
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        onStdout: options.onStdout,
        onStderr: options.onStderr,
      });
      return {
        ...status,
        readFiles: (paths, limits) => readSandboxFiles(mounts, workingDir, paths, limits),
        dispose: () => removeScratch(scratch, scratchTmp),
      };
    } catch (error) {
      await rm(scratch, { recursive: true, force: true });
      throw error;
    }
  }
}
