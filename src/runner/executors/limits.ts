import type { ResourceLimits } from './executor.js';
import type { HostCapabilities } from './probe.js';

export type LimitCapabilities = Pick<HostCapabilities, 'cores' | 'prlimit' | 'taskset'>;

/** Benchmark cores: everything but core 0, which stays with the runner, unless there is only one. */
export function benchmarkCores(cores: number, wanted?: number): number[] {
  if (cores <= 1) return [0];
  const available = Array.from({ length: cores - 1 }, (_, i) => i + 1);
  return wanted && wanted > 0 ? available.slice(0, Math.max(1, Math.floor(wanted))) : available;
}

/**
 * A command prefix (`prlimit … -- taskset -c … `) applying what the host supports. Both tools exec the
 * rest in place, so the pid the supervisor holds stays the workload's group leader.
 */
export function limitPrefix(limits: ResourceLimits | undefined, caps: LimitCapabilities): string[] {
  const prefix: string[] = [];
  const rlimits: string[] = [];
  if (limits?.memoryBytes) rlimits.push(`--as=${Math.floor(limits.memoryBytes)}`);
  if (limits?.maxProcesses) rlimits.push(`--nproc=${Math.floor(limits.maxProcesses)}`);
  if (rlimits.length && caps.prlimit) prefix.push(caps.prlimit, ...rlimits, '--');
  if (caps.taskset && caps.cores > 1)
    prefix.push(caps.taskset, '-c', benchmarkCores(caps.cores, limits?.cpus).join(','));
  return prefix;
}
