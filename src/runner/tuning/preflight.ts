import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { coreActivity, parseCpuList, parseSwapActivity, readOptional, snapshot } from '../noise/proc.js';
import { sleep } from '../sleep.js';
import type { HostRoots } from './host-roots.js';

export type PreflightLevel = 'ok' | 'warn' | 'info';

export interface PreflightCheck {
  check: string;
  level: PreflightLevel;
  message: string;
}

export interface PreflightOptions {
  roots: HostRoots;
  benchmarkCpus: readonly number[];
  housekeepingCpus: readonly number[];
  /** How long load and swap are watched (default 250 ms). */
  sampleMs?: number;
}

async function processRunning(procRoot: string, name: string): Promise<boolean> {
  const entries = await readdir(procRoot).catch(() => [] as string[]);
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    const comm = await readOptional(join(procRoot, pid, 'comm'));
    if (comm?.trim() === name) return true;
  }
  return false;
}

function kernelParameter(cmdline: string, name: string): string | null {
  const match = new RegExp(`(?:^|\\s)${name}=(\\S+)`).exec(cmdline);
  return match ? match[1] : null;
}

/**
 * What on this host will add noise to a benchmark, checked at runner start: each check is logged as a
 * line and kept as data (sent with the runner's noise). Reads only.
 */
export async function preflight(options: PreflightOptions): Promise<PreflightCheck[]> {
  const { roots, benchmarkCpus } = options;
  const checks: PreflightCheck[] = [];
  const add = (check: string, level: PreflightLevel, message: string) =>
    checks.push({ check, level, message });
  const cpuDir = (cpu: number) => join(roots.sys, 'devices/system/cpu', `cpu${cpu}`);

  // Load and swap are sampled over a short window; the static checks run meanwhile.
  const sample = (async () => {
    const [before, vmBefore] = await Promise.all([
      snapshot(roots.proc),
      readOptional(join(roots.proc, 'vmstat')),
    ]);
    await sleep(options.sampleMs ?? 250);
    const [after, vmAfter] = await Promise.all([
      snapshot(roots.proc),
      readOptional(join(roots.proc, 'vmstat')),
    ]);
    return { before, after, vmBefore, vmAfter };
  })();

  const irqbalance = await processRunning(roots.proc, 'irqbalance');
  add(
    'irqbalance',
    irqbalance ? 'warn' : 'ok',
    irqbalance
      ? 'irqbalance is running: it moves IRQs onto the benchmark cores (and undoes irq-affinity tuning); stop it'
      : 'irqbalance is not running',
  );

  const cgroup2 = (await readOptional(join(roots.sys, 'fs/cgroup/cgroup.controllers'))) !== null;
  add(
    'cgroup-v2',
    cgroup2 ? 'ok' : 'warn',
    cgroup2 ? 'cgroup v2 is mounted' : 'no cgroup v2: no cpuset confinement of the rest of the host',
  );

  const cpuinfo = (await readOptional(join(roots.proc, 'cpuinfo'))) ?? '';
  const hypervisor = (await readOptional(join(roots.sys, 'hypervisor/type')))?.trim();
  const virtual = /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo) || Boolean(hypervisor);
  add(
    'virtualized',
    virtual ? 'warn' : 'ok',
    virtual
      ? `virtualized host${hypervisor ? ` (${hypervisor})` : ''}: the hypervisor can steal or slow the cores; figures drift with its neighbours`
      : 'bare metal',
  );

  const cmdline = (await readOptional(join(roots.proc, 'cmdline'))) ?? '';
  for (const param of ['isolcpus', 'nohz_full'] as const) {
    const value = kernelParameter(cmdline, param);
    const covered = value
      ? benchmarkCpus.every((c) =>
          parseCpuList(
            value
              .split(',')
              .filter((p) => /^\d/.test(p))
              .join(','),
          ).includes(c),
        )
      : false;
    add(
      param,
      value && covered ? 'ok' : 'warn',
      value
        ? `${param}=${value}${covered ? '' : ` does not cover benchmark core(s) ${benchmarkCpus.join(',')}`}`
        : `no ${param}= on the kernel command line: the scheduler${param === 'nohz_full' ? "'s tick" : ''} still uses the benchmark cores`,
    );
  }

  const governors = new Set<string>();
  for (const cpu of benchmarkCpus) {
    const g = (await readOptional(join(cpuDir(cpu), 'cpufreq/scaling_governor')))?.trim();
    if (g) governors.add(g);
  }
  if (governors.size === 0)
    add('governor', 'info', 'no cpufreq: the frequency is not the kernel’s to set (VM or firmware)');
  else if ([...governors].every((g) => g === 'performance')) add('governor', 'ok', 'governor performance');
  else
    add('governor', 'warn', `governor ${[...governors].join(', ')} on the benchmark cores: use performance`);

  const shared: string[] = [];
  for (const cpu of benchmarkCpus) {
    const siblings = await readOptional(join(cpuDir(cpu), 'topology/thread_siblings_list'));
    if (siblings === null) continue;
    const others = parseCpuList(siblings).filter((s) => s !== cpu);
    if (others.length) shared.push(`core ${cpu} shares a physical core with ${others.join(',')}`);
  }
  add(
    'smt',
    shared.length ? 'warn' : 'ok',
    shared.length
      ? `SMT: ${shared.join('; ')} (turn SMT off or leave the sibling idle)`
      : 'no SMT sibling on the benchmark cores',
  );

  const { before, after, vmBefore, vmAfter } = await sample;
  const busy = coreActivity(before, after, benchmarkCpus).busyPct;
  add(
    'load',
    busy === null ? 'info' : busy > 10 ? 'warn' : 'ok',
    busy === null
      ? 'load on the benchmark cores unknown (no /proc/stat)'
      : `benchmark core(s) ${benchmarkCpus.join(',')} ${busy.toFixed(0)}% busy before any job${busy > 10 ? ': something else runs there' : ''}`,
  );
  if (vmBefore !== null && vmAfter !== null) {
    const a = parseSwapActivity(vmBefore);
    const b = parseSwapActivity(vmAfter);
    const pages = b.pswpin - a.pswpin + (b.pswpout - a.pswpout);
    add(
      'swap',
      pages > 0 ? 'warn' : 'ok',
      pages > 0 ? `swapping: ${pages} pages in/out while sampled` : 'no swap activity',
    );
  } else add('swap', 'info', 'swap activity unknown (no /proc/vmstat)');
  return checks;
}
