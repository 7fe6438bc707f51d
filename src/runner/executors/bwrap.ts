import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { posix } from 'node:path';
import { allocationFailure, StreamTail } from './allocation-failure.js';
import { createPidsGroupV1 } from './cgroup-v1-pids.js';
import { type CgroupDelegation, createJobCgroup } from './cgroup-v2.js';
import { type Executor, ExecutorError, type RunOptions, type RunResult } from './executor.js';
import {
  addressSpaceBytes,
  benchmarkCores,
  type LimitCapabilities,
  limitPrefix,
  SANDBOX_OVERHEAD_TASKS,
} from './limits.js';
import { raiseSessionPriority } from './priority.js';
import type { SandboxIdentities } from './sandbox-identities.js';
import { readSandboxFiles, resolveInSandbox } from './sandbox-paths.js';
import { hostScratch, mountedScratch } from './sandbox-scratch.js';
import { supervise } from './supervise.js';
import {
  type AttachedNetwork,
  attachUserNetwork,
  DEFAULT_NETWORK_DENY,
  hostAddresses,
  type UserNetTools,
} from './user-net.js';
import { measureDirs, startWatchdog, type Watchdog } from './watchdog.js';

export interface BwrapExecutorOptions {
  bwrapPath?: string;
  /** Map the workload's uid/gid in a user namespace (needed unless the runner is root). */
  userNamespaces?: boolean;
  /** prlimit/taskset/setpriv availability; limits are skipped when absent. */
  capabilities?: LimitCapabilities;
  /** Where per-run scratch directories go. */
  scratchRoot?: string;
  /**
   * Host uids to run sandboxes as (a root runner with setpriv): never host root, and RLIMIT_NPROC
   * counting the job's own tasks. The rootfs and scratch root must be reachable by their group.
   */
  identities?: SandboxIdentities;
  /** Poll the sandbox against the memory, process and disk limits (default true). */
  watchdog?: boolean;
  /** User-mode networking for jobs whose spec allows network; without it such jobs are refused. */
  userNet?: UserNetTools;
  /** Ranges a job's network may not reach (default: DEFAULT_NETWORK_DENY and the host's addresses). */
  networkDeny?: string[];
  /** A delegated cgroup v2 subtree: each run gets a group of its own with memory.max, pids.max, cpuset. */
  cgroup?: CgroupDelegation;
  /** Without one, a parent group in the cgroup v1 pids hierarchy: each run gets pids.max there. */
  pidsV1?: string;
  /**
   * Mount each run's scratch (root only): a tmpfs of the disk limit's size under an overlay of the image,
   * so the disk limit is hard and the sandbox's mountinfo holds no host path (sandbox-scratch.ts).
   */
  mountScratch?: boolean;
}

/** Size of the sandbox's /dev/shm (Docker's default), at most the memory limit: it is memory. */
const SHM_BYTES = 64 * 1024 * 1024;

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

/** bubblewrap's `--args` format: NUL-terminated arguments. */
const argsData = (args: string[]) => Buffer.from(args.map((a) => `${a}\0`).join(''));

/**
 * Runs the workload in a bubblewrap sandbox: fresh namespaces (no network unless allowed), the rootfs
 * read-only as `/`, and writable scratch only at /tmp, the working directory and a size-limited
 * /dev/shm (the rest of /dev is read-only). The writable places outlive the sandbox until dispose, so
 * files the workload wrote can be read after it exits (sandbox-scratch.ts: a sized tmpfs under an
 * overlay for a root runner, host directories otherwise). With identities, the sandbox runs as an
 * unprivileged host uid.
 */
export class BwrapExecutor implements Executor {
  readonly name = 'bwrap';
  readonly #bwrap: string;
  readonly #userNamespaces: boolean;
  readonly #capabilities: LimitCapabilities | undefined;
  readonly #scratchRoot: string;
  readonly #identities: SandboxIdentities | undefined;
  readonly #watchdog: boolean;
  readonly #userNet: UserNetTools | undefined;
  readonly #networkDeny: string[];
  readonly #cgroup: CgroupDelegation | undefined;
  readonly #pidsV1: string | undefined;
  readonly #mountScratch: boolean;

  constructor(options: BwrapExecutorOptions = {}) {
    this.#bwrap = options.bwrapPath ?? '/usr/bin/bwrap';
    this.#userNamespaces = options.userNamespaces ?? true;
    this.#capabilities = options.capabilities;
    this.#scratchRoot = options.scratchRoot ?? tmpdir();
    this.#identities = options.userNamespaces === false ? undefined : options.identities;
    this.#watchdog = options.watchdog ?? true;
    this.#userNet = options.userNet;
    this.#cgroup = options.cgroup;
    this.#pidsV1 = options.pidsV1;
    this.#mountScratch = options.mountScratch ?? false;
    this.#networkDeny = options.networkDeny ?? [...DEFAULT_NETWORK_DENY, ...hostAddresses()];
  }

  /** Reads the sandbox's pid from bwrap's info fd, attaches the network, then lets the command start. */
  async #attachNetwork(child: ChildProcess): Promise<AttachedNetwork> {
    const stdio = child.stdio as unknown as Array<NodeJS.ReadableStream & NodeJS.WritableStream>;
    const info = stdio[4];
    const block = stdio[5];
    block.on('error', () => {});
    const pid = await new Promise<number>((resolve, reject) => {
      let text = '';
      info.on('data', (chunk) => {
        text += chunk;
        const match = /"child-pid":\s*(\d+)/.exec(text);
        if (match) resolve(Number(match[1]));
      });
      info.once('end', () => reject(new ExecutorError('bwrap ended before the sandbox started')));
    });
    const attached = await attachUserNetwork(pid, this.#userNet!, this.#networkDeny);
    block.end('go');
    return attached;
  }

  /** The group sandboxes run in, which must be able to search the rootfs's and scratch's parents. */
  get sandboxGid(): number | undefined {
    return this.#identities?.gid;
  }

  async run(options: RunOptions): Promise<RunResult> {
    const workingDir = posix.resolve('/', options.workingDir || '/');
    const identity = await resolveUser(options.rootfs, options.user);
    const owner = this.#identities?.acquire();
    const limits = options.limits ?? {};
    const cleanups: Array<() => Promise<void>> = [];
    try {
      const scratch = await (this.#mountScratch ? mountedScratch : hostScratch)({
        scratchRoot: this.#scratchRoot,
        rootfs: options.rootfs,
        workingDir,
        owner,
        uid: identity.uid,
        diskBytes: limits.diskBytes,
      });
      cleanups.push(scratch.dispose);
      const { mounts, writable } = scratch;
      // The network namespace is always the sandbox's own; a network-allowed job gets user-mode
      // networking attached to it before its command starts (--info-fd gives the pid, --block-fd waits).
      const args = ['--unshare-all'];
      // No user namespaces of the job's own (kernel attack surface). slirp4netns cannot join the
      // namespace of a sandbox with this set, so a network-allowed job goes without it.
      if (!options.network) args.push('--disable-userns');
      if (options.network) {
        if (!this.#userNet) {
          throw new ExecutorError(
            "the job's spec allows network, and this runner has no slirp4netns to give it a network of its own",
          );
        }
        args.push('--info-fd', '4', '--block-fd', '5');
      }
      // No `--new-session`: the supervisor already starts the sandbox in a session of its own with no
      // controlling terminal (nothing to inject keystrokes into), and a second session would be a new
      // scheduler autogroup that the job's priority does not reach (priority.ts).
      args.push('--die-with-parent', '--hostname', 'benchline');
      if (this.#userNamespaces) {
        args.push('--unshare-user', '--uid', String(identity.uid), '--gid', String(identity.gid));
      } else if (identity.uid !== 0 || identity.gid !== 0) {
        throw new ExecutorError('a non-root image user needs user namespaces, which this host lacks');
      }
      const shmBytes = Math.min(SHM_BYTES, limits.memoryBytes ?? SHM_BYTES);
      args.push(
        '--ro-bind',
        scratch.root,
        '/',
        '--proc',
        '/proc',
        // The host's kernel command line is none of the job's business.
        '--ro-bind',
        scratch.empty,
        '/proc/cmdline',
        '--dev',
        '/dev',
        // /dev is a tmpfs of its own: unmetered memory, unless read-only; /dev/shm is sized.
        '--size',
        String(shmBytes),
        '--perms',
        '1777',
        '--tmpfs',
        '/dev/shm',
        '--remount-ro',
        '/dev',
        ...scratch.binds,
      );
      args.push('--clearenv');
      for (const [key, value] of Object.entries(options.env)) {
        if (!key || key.includes('=') || key.includes('\0') || value.includes('\0')) {
          throw new ExecutorError(`bad environment variable name ${JSON.stringify(key)}`);
        }
        args.push('--setenv', key, value);
      }
      args.push('--chdir', workingDir);

      const watch = this.#watchdog && (limits.memoryBytes || limits.maxProcesses || limits.diskBytes);
      const diskBaseline = watch && limits.diskBytes ? (await measureDirs(writable)).allocatedBytes : 0;
      const group = this.#cgroup
        ? await createJobCgroup(
            this.#cgroup,
            limits,
            benchmarkCores(this.#capabilities?.cores ?? 1, limits.cpus),
          )
        : this.#pidsV1 && limits.maxProcesses
          ? await createPidsGroupV1(this.#pidsV1, limits)
          : undefined;
      cleanups.push(async () => group?.remove());
      const prefix = [
        ...(group?.prefix ?? []),
        ...(this.#capabilities ? limitPrefix(options.limits, this.#capabilities, owner) : []),
      ];
      const limitKill = new AbortController();
      const stderrTail = new StreamTail();
      let watchdog: Watchdog | undefined;
      let killedFor: RunResult['limitExceeded'];
      let network: AttachedNetwork | undefined;
      let setupError: unknown;
      // The options go through a pipe (`--args 3`): the sandbox's pid 1 is bwrap, whose command line
      // the job can read, and it should not learn host paths from it. The job's own command follows.
      const [command, ...rest] = [...prefix, this.#bwrap, '--args', '3', '--', ...options.argv];
      const status = await supervise({
        command,
        args: rest,
        env: {},
        fd3: argsData(args),
        setupFds: options.network,
        timeoutMs: options.timeoutMs,
        signal: options.signal ? AbortSignal.any([options.signal, limitKill.signal]) : limitKill.signal,
        onStdout: options.onStdout,
        onStderr: (chunk) => {
          stderrTail.push(chunk);
          options.onStderr(chunk);
        },
        onSpawn: (child) => {
          const pid = child.pid!;
          raiseSessionPriority(pid, this.#capabilities?.jobNice);
          if (options.network) {
            this.#attachNetwork(child)
              .then((attached) => {
                network = attached;
              })
              .catch((error) => {
                setupError = error;
                limitKill.abort();
              });
          }
          if (!watch) return;
          watchdog = startWatchdog({
            pid,
            // What a cgroup holds, the kernel names by its events; the watchdog polls the rest.
            limits: {
              ...limits,
              ...(group?.holds.memory ? { memoryBytes: undefined } : {}),
              ...(group?.holds.processes ? { maxProcesses: undefined } : {}),
            },
            overheadTasks: SANDBOX_OVERHEAD_TASKS,
            dirs: writable,
            diskBaseline,
            onExceeded: (limit) => {
              killedFor = limit;
              limitKill.abort();
            },
          });
        },
      });
      network?.stop();
      const exceeded =
        (await group?.exceeded()) ??
        (await watchdog?.stop()) ??
        killedFor ??
        allocationFailure(
          status,
          stderrTail.text(),
          limits,
          limits.memoryBytes && this.#capabilities?.prlimit
            ? addressSpaceBytes(limits.memoryBytes)
            : undefined,
        );
      if (setupError) throw setupError;
      const outcome = exceeded && !status.timedOut ? { canceled: options.signal?.aborted ?? false } : {};
      return {
        ...status,
        ...outcome,
        ...(exceeded && !status.timedOut ? { limitExceeded: exceeded } : {}),
        readFiles: (paths, fileLimits) => readSandboxFiles(mounts, workingDir, paths, fileLimits),
        dispose: async () => {
          for (const cleanup of cleanups) await cleanup();
          if (owner) this.#identities?.release(owner);
        },
      };
    } catch (error) {
      for (const cleanup of cleanups) await cleanup().catch(() => {});
      if (owner) this.#identities?.release(owner);
      throw error;
    }
  }
}
