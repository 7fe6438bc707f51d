import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { BwrapExecutor } from './executors/bwrap.js';
import { preparePidsHierarchyV1 } from './executors/cgroup-v1-pids.js';
import { prepareDelegation } from './executors/cgroup-v2.js';
import { type Enforcement, enforcementPlan } from './executors/enforcement.js';
import type { HostCapabilities } from './executors/probe.js';
import { reachableBySandboxes, SandboxIdentities } from './executors/sandbox-identities.js';

/**
 * A root runner gives each sandbox an unprivileged uid of its own, when its work dir is reachable for
 * them; otherwise the sandboxes run as the runner's uid (RLIMIT_NPROC then cannot count one job alone).
 */
export function sandboxIdentities(
  caps: HostCapabilities,
  workDir: string,
  log: Logger,
): SandboxIdentities | undefined {
  if (!caps.root || !caps.setpriv || !caps.userNamespaces) return undefined;
  const identities = new SandboxIdentities();
  if (!reachableBySandboxes(dirname(resolve(workDir)), identities.gid)) {
    log.warn(
      { workDir },
      'the work dir has a parent directory other users cannot search: sandboxes run as the runner (root in none of them) and the process limit is the watchdog alone',
    );
    return undefined;
  }
  return identities;
}

export interface SandboxExecutorOptions {
  /** The runner's work dir; scratch space goes in its `scratch` directory. */
  workDir: string;
  log: Logger;
  /** Ranges a network-allowed job may not reach (default: the executor's). */
  networkDeny?: string[];
}

/**
 * The one way a bubblewrap sandbox is set up, for the daemon and for a local `runner run` alike: sandbox
 * uids, a cgroup v2 group where delegated, rlimits, mounted scratch (a root runner), user-mode networking.
 * Returns the executor and how each limit is enforced on this host.
 */
export async function createSandboxExecutor(
  caps: HostCapabilities,
  options: SandboxExecutorOptions,
): Promise<{ executor: BwrapExecutor; plan: Enforcement[] }> {
  const { log } = options;
  const identities = sandboxIdentities(caps, options.workDir, log);
  const cgroup =
    caps.cgroupV2.writable && caps.cgroupV2.path
      ? await prepareDelegation(caps.cgroupV2.path).catch((error: unknown) => {
          log.warn(
            { err: String(error) },
            'cgroup v2 delegation unusable; limits fall back to rlimits and the watchdog',
          );
          return undefined;
        })
      : undefined;
  // A root runner on a cgroup v1 host: the process limit in a pids group per run (cgroup-v1-pids.ts).
  const pidsV1 = !cgroup && identities ? await preparePidsHierarchyV1() : undefined;
  const mountScratch = Boolean(caps.root);
  const executor = new BwrapExecutor({
    capabilities: caps,
    userNamespaces: caps.userNamespaces,
    scratchRoot: join(options.workDir, 'scratch'),
    bwrapPath: caps.bwrap.path,
    identities,
    userNet: caps.userNet,
    networkDeny: options.networkDeny,
    cgroup,
    pidsV1,
    mountScratch,
  });
  const plan = enforcementPlan(caps, {
    identities: Boolean(identities),
    cgroup: Boolean(cgroup),
    pidsV1: Boolean(pidsV1),
    mountScratch,
  });
  return { executor, plan };
}
