import { execFile } from 'node:child_process';
import { getPriority } from 'node:os';
import { promisify } from 'node:util';
import type { ResourceLimits } from './executor.js';
import type { HostCapabilities } from './probe.js';

export type LimitCapabilities = Pick<
  HostCapabilities,
  'cores' | 'prlimit' | 'taskset' | 'nice' | 'jobNice'
> & {
  /** setpriv, to drop the sandbox to its own unprivileged uid (a root runner only). */
  setpriv?: string;
};

/** Tasks bubblewrap adds to a job's own: its monitor process and the sandbox's pid 1. */
export const SANDBOX_OVERHEAD_TASKS = 2;

/** The unprivileged host identity a sandbox runs as; RLIMIT_NPROC then counts the job's own tasks. */
export interface SandboxIdentity {
  uid: number;
  gid: number;
}

/** Benchmark cores: everything but core 0, which stays with the runner, unless there is only one. */
export function benchmarkCores(cores: number, wanted?: number): number[] {
  if (cores <= 1) return [0];
  const available = Array.from({ length: cores - 1 }, (_, i) => i + 1);
  return wanted && wanted > 0 ? available.slice(0, Math.max(1, Math.floor(wanted))) : available;
}

/**
 * RLIMIT_AS per process: twice the memory limit leaves room for the address space programs reserve
 * without touching (thread stacks, malloc arenas).
 */
export const addressSpaceBytes = (memoryBytes: number) => Math.floor(memoryBytes) * 2;

/**
 * A command prefix (`nice -n … prlimit … -- taskset -c … `) applying what the host supports. Both tools exec the
 * rest in place, so the pid the supervisor holds stays the workload's group leader.
 */
export function limitPrefix(
  limits: ResourceLimits | undefined,
  caps: LimitCapabilities,
  identity?: SandboxIdentity,
): string[] {
  const prefix: string[] = [];
  // First, while still privileged: the job cannot lower its own nice value once it runs as its own uid.
  // nice(1) adds to the runner's own value; the increment makes the job's value the one asked for.
  if (caps.nice && caps.jobNice !== undefined && caps.jobNice !== 0)
    prefix.push(caps.nice, '-n', String(caps.jobNice - getPriority()));
  const rlimits: string[] = [];
  // Per process, so only a backstop against one huge allocation between the watchdog's polls; the
  // total resident memory is the watchdog's (or memory.max's) to hold.
  if (limits?.memoryBytes) rlimits.push(`--as=${addressSpaceBytes(limits.memoryBytes)}`);
  // RLIMIT_NPROC counts every task of the real uid on the host: meaningful only under a uid of the
  // sandbox's own. One task over the job's limit is let through so the watchdog can see and name it.
  if (limits?.maxProcesses && identity)
    rlimits.push(`--nproc=${Math.floor(limits.maxProcesses) + SANDBOX_OVERHEAD_TASKS + 1}`);
  if (limits?.diskBytes) rlimits.push(`--fsize=${Math.floor(limits.diskBytes)}`);
  if (limits) rlimits.push('--core=0');
  if (rlimits.length && caps.prlimit) prefix.push(caps.prlimit, ...rlimits, '--');
  if (identity && caps.setpriv) {
    prefix.push(
      caps.setpriv,
      `--reuid=${identity.uid}`,
      `--regid=${identity.gid}`,
      '--clear-groups',
      '--inh-caps=-all',
      '--',
    );
  }
  if (caps.taskset && caps.cores > 1)
    prefix.push(caps.taskset, '-c', benchmarkCores(caps.cores, limits?.cpus).join(','));
  return prefix;
}

const run = promisify(execFile);

/** The cores benchmarkCores() never hands out: core 0, for the runner itself (none on a 1-core host). */
export function runnerCores(cores: number): number[] {
  return cores <= 1 ? [] : [0];
}

async function affinity(taskset: string, pid: number): Promise<string> {
  const { stdout } = await run(taskset, ['-p', '-c', String(pid)], { timeout: 5000 });
  const list = /list:\s*(\S+)/.exec(stdout)?.[1];
  if (!list) throw new Error(`unexpected taskset output: ${stdout.trim()}`);
  return list;
}

/**
 * Pins a process, every thread of it (threads started later inherit it), to the runner's core, off the
 * benchmark cores: its timers, garbage collection and reading of the workload's output then never take a
 * benchmark core from a workload. Returns a function restoring the previous affinity. Does nothing on a
 * 1-core host or without taskset.
 */
export async function pinToRunnerCores(
  caps: LimitCapabilities,
  pid: number = process.pid,
): Promise<() => Promise<void>> {
  const { taskset } = caps;
  const cores = runnerCores(caps.cores);
  if (!taskset || cores.length === 0) return async () => {};
  const previous = await affinity(taskset, pid);
  await run(taskset, ['-a', '-p', '-c', cores.join(','), String(pid)], { timeout: 5000 });
  return async () => {
    await run(taskset, ['-a', '-p', '-c', previous, String(pid)], { timeout: 5000 });
  };
}
