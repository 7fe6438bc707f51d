import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LimitExceeded, ResourceLimits } from './executor.js';
import { SANDBOX_OVERHEAD_TASKS } from './limits.js';

const CONTROLLERS = ['cpuset', 'memory', 'pids'] as const;

/** A cgroup v2 subtree delegated to the runner (systemd `Delegate=yes`, or a root runner's own group). */
export interface CgroupDelegation {
  /** The delegated group's directory, e.g. /sys/fs/cgroup/system.slice/benchline-runner.service. */
  path: string;
}

/**
 * Makes a delegated group usable for per-job groups. cgroup v2 lets a group hand controllers to its
 * children only when it holds no process itself, so the runner first moves itself into a leaf of its
 * own (`runner`), then enables cpuset, memory and pids for the children.
 */
export async function prepareDelegation(path: string, pid: number = process.pid): Promise<CgroupDelegation> {
  const available = (await readFile(join(path, 'cgroup.controllers'), 'utf8')).trim().split(/\s+/);
  const missing = CONTROLLERS.filter((c) => !available.includes(c));
  if (missing.length > 0)
    throw new Error(`the delegated cgroup ${path} lacks the ${missing.join(', ')} controller(s)`);
  await mkdir(join(path, 'runner'), { recursive: true });
  await writeFile(join(path, 'runner', 'cgroup.procs'), String(pid));
  await writeFile(join(path, 'cgroup.subtree_control'), CONTROLLERS.map((c) => `+${c}`).join(' '));
  return { path };
}

export interface JobCgroup {
  path: string;
  /** What the group holds and names itself; the watchdog keeps watching the rest. */
  holds: { memory: boolean; processes: boolean };
  /**
   * A command prefix that moves itself into the group and execs the rest: everything the job forks is
   * in the group from its first instruction, with no window for a fork to escape.
   */
  prefix: string[];
  /** Reads the group's event counters: an OOM kill or a refused fork names the limit. */
  exceeded(): Promise<LimitExceeded | undefined>;
  /** Removes the group once its processes are gone. */
  remove(): Promise<void>;
}

const counter = (text: string, name: string) =>
  Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
const MiB = 1024 * 1024;

/** One group per run: memory.max (swap off), pids.max and cpuset.cpus from the spec's limits. */
export async function createJobCgroup(
  delegation: CgroupDelegation,
  limits: ResourceLimits,
  cores: number[],
): Promise<JobCgroup> {
  const path = join(delegation.path, `job-${randomBytes(6).toString('hex')}`);
  await mkdir(path);
  if (limits.memoryBytes) {
    await writeFile(join(path, 'memory.max'), String(Math.floor(limits.memoryBytes)));
    await writeFile(join(path, 'memory.swap.max'), '0');
  }
  if (limits.maxProcesses) {
    await writeFile(join(path, 'pids.max'), String(Math.floor(limits.maxProcesses) + SANDBOX_OVERHEAD_TASKS));
  }
  if (cores.length > 0) await writeFile(join(path, 'cpuset.cpus'), cores.join(','));
  return {
    path,
    holds: { memory: true, processes: true },
    prefix: enterGroupPrefix(path),
    exceeded: async () => {
      const memory = await readFile(join(path, 'memory.events'), 'utf8').catch(() => '');
      if (counter(memory, 'oom_kill') > 0 || (counter(memory, 'max') > 0 && counter(memory, 'oom') > 0)) {
        return {
          reason: 'OUT_OF_MEMORY',
          message: `the job's processes needed more than the spec's ${((limits.memoryBytes ?? 0) / MiB).toFixed(0)} MiB of memory; the kernel killed it`,
        };
      }
      return pidsExceeded(path, limits);
    },
    remove: () => removeGroup(path),
  };
}

/**
 * A command prefix that moves itself into the group and execs the rest: everything the job forks is
 * in the group from its first instruction, with no window for a fork to escape.
 */
export function enterGroupPrefix(path: string): string[] {
  return ['/bin/sh', '-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', path];
}

/** Removes a group once its processes are gone. */
export async function removeGroup(path: string): Promise<void> {
  // The kernel frees a group once its last process is reaped, which can trail the kill briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await rmdir(path);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || attempt >= 50) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** A refused fork in a pids group (v1 or v2: both count them in pids.events) names PROCESS_LIMIT. */
export async function pidsExceeded(path: string, limits: ResourceLimits): Promise<LimitExceeded | undefined> {
  const pids = await readFile(join(path, 'pids.events'), 'utf8').catch(() => '');
  if (counter(pids, 'max') === 0) return undefined;
  return {
    reason: 'PROCESS_LIMIT',
    message: `the job tried to run more than ${limits.maxProcesses} processes and threads at once, the spec's limit`,
  };
}
