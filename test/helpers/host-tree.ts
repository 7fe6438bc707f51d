import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { HostRoots } from '../../src/runner/tuning/host-roots.js';

/** The preflight checks, in the order the runner makes (and reports) them. */
export const PREFLIGHT_CHECKS = [
  'irqbalance',
  'cgroup-v2',
  'virtualized',
  'isolcpus',
  'nohz_full',
  'governor',
  'smt',
  'load',
  'swap',
];

/** The files a 4-core host's tuning and preflight touch, with an untuned host's values. */
export const UNTUNED: Record<string, string> = {
  'proc/sys/kernel/numa_balancing': '1\n',
  'proc/sys/kernel/timer_migration': '1\n',
  'proc/sys/kernel/soft_watchdog': '1\n',
  'proc/sys/kernel/nmi_watchdog': '1\n',
  'sys/kernel/mm/ksm/run': '1\n',
  'dev/cpu_dma_latency': '',
  'proc/irq/default_smp_affinity': 'f\n',
  'proc/irq/0/smp_affinity_list': '0-3\n',
  'proc/irq/24/smp_affinity_list': '0-3\n',
  'proc/irq/36/smp_affinity_list': '2\n',
  'sys/devices/virtual/workqueue/cpumask': 'f\n',
  'sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory pids\n',
  'sys/fs/cgroup/system.slice/cpuset.cpus': '\n',
  'sys/fs/cgroup/user.slice/cpuset.cpus': '0-3\n',
  'sys/fs/cgroup/benchline.slice/cpuset.cpus': '\n',
  'proc/self/cgroup': '0::/benchline.slice/runner.service\n',
};

const made = new Set<string>();

/**
 * A temporary directory laid out like /proc, /sys and /dev, holding `files` (default: UNTUNED). Removed
 * by removeHostTrees() (call it in afterAll).
 */
export async function hostTree(
  files: Record<string, string> = UNTUNED,
): Promise<HostRoots & { base: string }> {
  const base = await mkdtemp(join(tmpdir(), 'benchline-host-'));
  made.add(base);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), content);
  }
  for (const d of ['proc', 'sys', 'dev']) await mkdir(join(base, d), { recursive: true });
  return { base, proc: join(base, 'proc'), sys: join(base, 'sys'), dev: join(base, 'dev') };
}

/** Removes every tree hostTree() made in this process. */
export async function removeHostTrees(): Promise<void> {
  const bases = [...made];
  made.clear();
  await Promise.all(bases.map((base) => rm(base, { recursive: true, force: true })));
}
