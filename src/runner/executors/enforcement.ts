import type { HostCapabilities } from './probe.js';

export type LimitName = 'cpu' | 'memory' | 'disk' | 'processes' | 'network';

export interface Enforcement {
  limit: LimitName;
  mechanism: string;
  /** Held by the kernel (possibly with the watchdog naming it), not by the watchdog alone or not at all. */
  enforced: boolean;
}

export interface SandboxSetup {
  /** Each sandbox runs as an unprivileged uid of its own (a root runner). */
  identities: boolean;
  /** Each sandbox gets a cgroup v2 group of its own (memory.max, pids.max, cpuset). */
  cgroup: boolean;
  /** Without cgroup v2, each sandbox gets a group of its own in the cgroup v1 pids hierarchy. */
  pidsV1?: boolean;
  /** Each run's writable places are a tmpfs of the disk limit's size under an overlay (a root runner). */
  mountScratch: boolean;
}

/** How this host enforces each spec limit, for `runner up` to print and to refuse a spec it cannot hold. */
export function enforcementPlan(caps: HostCapabilities, setup: SandboxSetup): Enforcement[] {
  const prlimit = Boolean(caps.prlimit);
  return [
    {
      limit: 'cpu',
      mechanism: setup.cgroup
        ? 'cgroup v2 cpuset.cpus (cores 1…, core 0 kept for the runner)'
        : caps.taskset
          ? 'taskset pinning to the spec’s count of cores (core 0 kept for the runner)'
          : 'none (no taskset)',
      enforced: setup.cgroup || Boolean(caps.taskset),
    },
    {
      limit: 'memory',
      mechanism: setup.cgroup
        ? 'cgroup v2 memory.max, swap off (OOM kill named OUT_OF_MEMORY)'
        : prlimit
          ? 'RLIMIT_AS of twice the limit per process + the watchdog on the total resident memory (killed, OUT_OF_MEMORY)'
          : 'watchdog only (no prlimit)',
      enforced: setup.cgroup || prlimit,
    },
    {
      limit: 'disk',
      mechanism: setup.mountScratch
        ? `a tmpfs of the limit's size holding every write (/tmp, the working directory) + ${prlimit ? 'RLIMIT_FSIZE per file + ' : ''}the watchdog naming it (DISK_LIMIT); /dev/shm a sized tmpfs, /dev read-only`
        : prlimit
          ? 'RLIMIT_FSIZE per file + the watchdog on /tmp and the working directory (DISK_LIMIT; a burst between polls can overshoot); /dev/shm a sized tmpfs, /dev read-only'
          : 'watchdog only (no prlimit); /dev/shm a sized tmpfs, /dev read-only',
      enforced: setup.mountScratch || prlimit,
    },
    {
      limit: 'processes',
      mechanism: setup.cgroup
        ? 'cgroup v2 pids.max (PROCESS_LIMIT)'
        : setup.pidsV1
          ? 'cgroup v1 pids.max per sandbox, a refused fork named PROCESS_LIMIT by pids.events (+ RLIMIT_NPROC under a sandbox uid of its own)'
          : setup.identities && prlimit
            ? 'RLIMIT_NPROC under a sandbox uid of its own + the watchdog (PROCESS_LIMIT)'
            : 'watchdog only (RLIMIT_NPROC needs a root runner giving each sandbox its own uid)',
      enforced: setup.cgroup || Boolean(setup.pidsV1) || (setup.identities && prlimit),
    },
    {
      limit: 'network',
      mechanism: caps.userNet
        ? `own network namespace; network-allowed specs through ${caps.userNet.slirp4netns}, host loopback and the deny-list refused`
        : 'own network namespace; network-allowed specs refused (no slirp4netns, nsenter or ip)',
      enforced: Boolean(caps.userNet),
    },
  ];
}

export function describeEnforcement(plan: Enforcement[]): string {
  return plan
    .map((e) => `  ${e.limit.padEnd(9)} ${e.enforced ? '' : 'NOT ENFORCED: '}${e.mechanism}`)
    .join('\n');
}
