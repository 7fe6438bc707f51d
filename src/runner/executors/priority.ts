import { writeFileSync } from 'node:fs';
/**
 * A job's scheduling priority. Jobs run pinned to the benchmark cores; at a low nice value a process
 * of the host's that lands on those cores (a build, a neighbour's spinner) gets ~1 % of the core
 * instead of half, which is the difference between a 3 % and a 30 % spread in a benchmark's times on
 * a shared machine (docs/runner.md, "Job priority"). Lowering nice needs CAP_SYS_NICE; a runner
 * without it runs jobs at the default priority and says so.
 */

/** The nice value jobs get by default where the runner may lower it: the highest priority. */
export const DEFAULT_JOB_NICE = -20;

const CAP_SYS_NICE = 23;

/** Whether a `/proc/<pid>/status` text shows CAP_SYS_NICE in the effective set. */
export function hasSysNice(status: string): boolean {
  const hex = /^CapEff:\s*([0-9a-f]+)/im.exec(status)?.[1];
  if (!hex) return false;
  return ((BigInt(`0x${hex}`) >> BigInt(CAP_SYS_NICE)) & 1n) === 1n;
}

export class JobNiceError extends Error {}

/** Parses `--job-nice`: a whole number from -20 to 19 (0 is the default priority). */
export function parseJobNice(text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isInteger(value) || value < -20 || value > 19) {
    throw new JobNiceError(`--job-nice ${text} is not a whole number from -20 to 19`);
  }
  return value;
}

export interface JobPriority {
  /** The nice value jobs start at; undefined: the default priority (nothing is prefixed). */
  nice: number | undefined;
  /** Why, for the runner's start log. */
  reason: string;
}

/**
 * The priority jobs get on this host. A priority above the default is given only when jobs have cores
 * of their own (more than one core): on one core it would take the runner's own heartbeats' time.
 */
export function resolveJobPriority(host: {
  cores: number;
  nice?: string;
  sysNice: boolean;
  requested?: number;
}): JobPriority {
  const wanted = host.requested ?? DEFAULT_JOB_NICE;
  if (wanted === 0) return { nice: undefined, reason: 'jobs run at the default priority (--job-nice 0)' };
  if (!host.nice) return { nice: undefined, reason: 'jobs run at the default priority: nice(1) not found' };
  if (wanted > 0) return { nice: wanted, reason: `jobs run at nice ${wanted} (lower priority)` };
  if (!host.sysNice) {
    return {
      nice: undefined,
      reason:
        'jobs run at the default priority: raising it needs root or CAP_SYS_NICE (other processes on the benchmark cores then take their share of a job’s time)',
    };
  }
  if (host.cores <= 1) {
    return {
      nice: undefined,
      reason: 'jobs run at the default priority: on one core a higher one would starve the runner',
    };
  }
  return { nice: wanted, reason: `jobs run at nice ${wanted} on their own cores` };
}

/**
 * With autogroups (`kernel.sched_autogroup_enabled`, on by default) the scheduler first shares a core
 * fairly between sessions, and a nice value only ranks processes within their own session: a job at
 * nice -20 in a session of its own still gets no more than an equal share against a build in another.
 * The job's session (the supervisor starts it in a new one) therefore gets the same value as its group
 * nice. Written once the child has exec'd, so its session, and the autogroup, exist. A host without
 * autogroups has no such file; then the task nice alone decides, and that is already set.
 */
export function raiseSessionPriority(pid: number, nice: number | undefined): boolean {
  if (nice === undefined || nice === 0) return false;
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    return true;
  } catch {
    return false;
  }
}
