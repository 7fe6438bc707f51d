import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enterGroupPrefix, type JobCgroup, pidsExceeded, removeGroup } from './cgroup-v2.js';
import type { ResourceLimits } from './executor.js';
import { SANDBOX_OVERHEAD_TASKS } from './limits.js';

/**
 * On a cgroup v1 host (no delegated v2 subtree), a root runner still gets the kernel to hold and name
 * the process limit: one group per run in the v1 `pids` hierarchy. RLIMIT_NPROC refuses a fork just as
 * well, but says nothing; the watchdog's polls miss a fork bomb that rises and collapses between two of
 * them (at the job's nice −20 it does so in a few milliseconds), and the job then looks like one that
 * printed no results. `pids.events` counts every fork the group refused.
 */
export async function preparePidsHierarchyV1(cgroupRoot = '/sys/fs/cgroup'): Promise<string | undefined> {
  const root = join(cgroupRoot, 'pids');
  try {
    // The v1 hierarchy's root has cgroup.procs but no pids.max; a v2 mount has no `pids` directory.
    await access(join(root, 'cgroup.procs'), constants.W_OK);
    const parent = join(root, 'benchline');
    await mkdir(parent, { recursive: true });
    await access(join(parent, 'pids.max'), constants.W_OK);
    return parent;
  } catch {
    return undefined;
  }
}

/** A run's group under `parent` (preparePidsHierarchyV1): pids.max from the spec, the job's tasks and bubblewrap's. */
export async function createPidsGroupV1(parent: string, limits: ResourceLimits): Promise<JobCgroup> {
  const path = join(parent, `job-${randomBytes(6).toString('hex')}`);
  await mkdir(path);
  if (limits.maxProcesses) {
    await writeFile(join(path, 'pids.max'), String(Math.floor(limits.maxProcesses) + SANDBOX_OVERHEAD_TASKS));
  }
  return {
    path,
    holds: { memory: false, processes: true },
    prefix: enterGroupPrefix(path),
    exceeded: () => pidsExceeded(path, limits),
    remove: () => removeGroup(path),
  };
}
