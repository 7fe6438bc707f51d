import type { FileHandle } from 'node:fs/promises';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cpuMask, formatCpuList } from '../noise/proc.js';
import { errorCode, type HostRoots, isNotPermitted, type TuningIo } from './host-roots.js';
import type { RecordedChange } from './state-file.js';

export const KNOB_NAMES = [
  'numa-balancing',
  'timer-migration',
  'watchdog',
  'ksm',
  'cpu-dma-latency',
  'irq-affinity',
  'workqueues',
  'cpuset',
] as const;
export type KnobName = (typeof KNOB_NAMES)[number];

export type KnobStatus = 'applied' | 'skipped' | 'not-permitted' | 'off';

export interface KnobResult {
  knob: KnobName;
  status: KnobStatus;
  detail: string;
}

export interface KnobContext {
  roots: HostRoots;
  io: TuningIo;
  benchmarkCpus: readonly number[];
  /** Cores the rest of the host is steered to (the runner's own). */
  housekeepingCpus: readonly number[];
  /** Called before each write, with the value to put back; the write happens only once it resolves. */
  record(change: RecordedChange): Promise<void>;
  /**
   * Called when that write was refused: nothing changed, so nothing is to be put back (writing the old
   * value back would be refused too, and would keep the state file, and every next start retrying).
   */
  discard(change: RecordedChange): Promise<void>;
  /** Handles to keep open for the runner's life; closing them ends the request. */
  held: FileHandle[];
}

interface Knob {
  name: KnobName;
  /** What it does, for --help and the docs. */
  summary: string;
  apply(ctx: KnobContext): Promise<Omit<KnobResult, 'knob'>>;
}

const trim = (s: string) => s.trim();

class Refused extends Error {}

/**
 * Sets each existing file to `value`, recording the old value first. Files already at the value are
 * left alone. Returns how many were changed, and which did not exist.
 */
async function setFiles(
  ctx: KnobContext,
  knob: KnobName,
  paths: string[],
  value: string,
  same: (current: string) => boolean = (current) => current === value,
): Promise<{ changed: string[]; missing: string[]; already: string[] }> {
  const changed: string[] = [];
  const missing: string[] = [];
  const already: string[] = [];
  for (const path of paths) {
    let current: string;
    try {
      current = trim(await ctx.io.read(path));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') {
        missing.push(path);
        continue;
      }
      if (isNotPermitted(error)) throw new Refused(`${path}: ${errorCode(error)}`);
      throw error;
    }
    if (same(current)) {
      already.push(path);
      continue;
    }
    const change = { knob, path, previous: current };
    await ctx.record(change);
    try {
      await ctx.io.write(path, value);
    } catch (error) {
      await ctx.discard(change);
      if (isNotPermitted(error)) throw new Refused(`${path}: ${errorCode(error)}`);
      throw error;
    }
    changed.push(path);
  }
  return { changed, missing, already };
}

function sysctlKnob(name: KnobName, summary: string, files: string[], value: string): Knob {
  return {
    name,
    summary,
    async apply(ctx) {
      const paths = files.map((f) => join(ctx.roots.proc, 'sys', f));
      const { changed, missing, already } = await setFiles(ctx, name, paths, value);
      const label = (ps: string[]) => ps.map((p) => p.slice(ctx.roots.proc.length + 5)).join(', ');
      if (changed.length > 0) return { status: 'applied', detail: `${label(changed)} = ${value}` };
      if (already.length > 0) return { status: 'skipped', detail: `already ${value} (${label(already)})` };
      return { status: 'skipped', detail: `not on this kernel (no ${label(missing)})` };
    },
  };
}

const ksm: Knob = {
  name: 'ksm',
  summary: 'stop KSM (same-page merging), whose scanner thread wakes on every core',
  async apply(ctx) {
    const path = join(ctx.roots.sys, 'kernel/mm/ksm/run');
    const { changed, already } = await setFiles(ctx, 'ksm', [path], '0');
    if (changed.length) return { status: 'applied', detail: 'kernel/mm/ksm/run = 0' };
    if (already.length) return { status: 'skipped', detail: 'already off' };
    return { status: 'skipped', detail: 'no KSM on this kernel' };
  },
};

const cpuDmaLatency: Knob = {
  name: 'cpu-dma-latency',
  summary:
    'hold a 0 µs /dev/cpu_dma_latency request for the runner’s life: no deep C-states, no slow wake-ups',
  async apply(ctx) {
    const path = join(ctx.roots.dev, 'cpu_dma_latency');
    let handle: FileHandle;
    try {
      handle = await ctx.io.hold(path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { status: 'skipped', detail: 'no /dev/cpu_dma_latency' };
      if (isNotPermitted(error)) return { status: 'not-permitted', detail: `${path}: ${errorCode(error)}` };
      throw error;
    }
    const request = Buffer.alloc(4);
    request.writeInt32LE(0);
    try {
      await handle.write(request, 0, 4, 0);
    } catch (error) {
      await handle.close();
      if (isNotPermitted(error)) return { status: 'not-permitted', detail: `${path}: ${errorCode(error)}` };
      throw error;
    }
    // Nothing to record: the kernel drops the request when the file is closed, a crash included.
    ctx.held.push(handle);
    return { status: 'applied', detail: '0 µs requested while the runner runs' };
  },
};

/** IRQs whose affinity the kernel refuses to change (per-CPU, managed) answer EIO or EINVAL. */
const UNMOVABLE = new Set(['EIO', 'EINVAL']);

const irqAffinity: Knob = {
  name: 'irq-affinity',
  summary: 'steer every movable IRQ (and new ones) to the housekeeping cores',
  async apply(ctx) {
    const irqRoot = join(ctx.roots.proc, 'irq');
    const entries = await readdir(irqRoot).catch(() => null);
    if (!entries) return { status: 'skipped', detail: `no ${irqRoot}` };
    const list = formatCpuList(ctx.housekeepingCpus);
    let moved = 0;
    let unmovable = 0;
    let already = 0;
    const refused: string[] = [];
    const defaultPath = join(irqRoot, 'default_smp_affinity');
    const mask = cpuMask(ctx.housekeepingCpus);
    const defaults = await setFiles(ctx, 'irq-affinity', [defaultPath], mask, (current) =>
      sameMask(current, mask),
    );
    for (const irq of entries.filter((e) => /^\d+$/.test(e)).sort((a, b) => Number(a) - Number(b))) {
      try {
        const r = await setFiles(ctx, 'irq-affinity', [join(irqRoot, irq, 'smp_affinity_list')], list);
        moved += r.changed.length;
        already += r.already.length;
      } catch (error) {
        // Managed and per-CPU IRQs refuse (EIO, EINVAL, or EPERM on some hypervisors); the rest still move.
        if (error instanceof Refused) refused.push(error.message);
        else if (UNMOVABLE.has(errorCode(error) ?? '')) unmovable++;
        else throw error;
      }
    }
    if (moved === 0 && refused.length > 0 && defaults.changed.length === 0) throw new Refused(refused[0]);
    unmovable += refused.length;
    const parts = [`${moved} IRQs moved to core(s) ${list}`];
    if (already) parts.push(`${already} already there`);
    if (unmovable) parts.push(`${unmovable} unmovable`);
    if (defaults.changed.length) parts.push(`new IRQs default to mask ${mask}`);
    const changedAny = moved > 0 || defaults.changed.length > 0;
    return { status: changedAny ? 'applied' : 'skipped', detail: parts.join('; ') };
  },
};

function sameMask(current: string, wanted: string): boolean {
  const parse = (s: string) => BigInt(`0x${s.replace(/,/g, '').trim() || '0'}`);
  try {
    return parse(current) === parse(wanted);
  } catch {
    return false;
  }
}

const workqueues: Knob = {
  name: 'workqueues',
  summary: 'keep unbound kernel workqueues on the housekeeping cores',
  async apply(ctx) {
    const path = join(ctx.roots.sys, 'devices/virtual/workqueue/cpumask');
    const mask = cpuMask(ctx.housekeepingCpus);
    const r = await setFiles(ctx, 'workqueues', [path], mask, (current) => sameMask(current, mask));
    if (r.changed.length) return { status: 'applied', detail: `unbound workqueues on mask ${mask}` };
    if (r.already.length) return { status: 'skipped', detail: `already mask ${mask}` };
    return { status: 'skipped', detail: 'no workqueue cpumask on this kernel' };
  },
};

/** The runner's own top-level cgroup (v2), which keeps every core: its jobs run on the benchmark cores. */
async function ownTopLevelCgroup(roots: HostRoots): Promise<string | null> {
  const text = await readFile(join(roots.proc, 'self/cgroup'), 'utf8').catch(() => '');
  const path = text
    .split('\n')
    .find((l) => l.startsWith('0::'))
    ?.slice(3);
  const top = path?.split('/').filter(Boolean)[0];
  return top ?? null;
}

const cpuset: Knob = {
  name: 'cpuset',
  summary:
    'confine the other top-level cgroups (system, user sessions) to the housekeeping cores (cgroup v2)',
  async apply(ctx) {
    const root = join(ctx.roots.sys, 'fs/cgroup');
    const controllers = await readFile(join(root, 'cgroup.controllers'), 'utf8').catch(() => null);
    if (controllers === null)
      return { status: 'skipped', detail: 'no cgroup v2 (unified hierarchy) mounted' };
    if (!controllers.split(/\s+/).includes('cpuset')) {
      return { status: 'skipped', detail: 'the cpuset controller is not available in cgroup v2' };
    }
    const own = await ownTopLevelCgroup(ctx.roots);
    const groups = (await readdir(root, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && e.name !== own)
      .map((e) => e.name)
      .sort();
    const list = formatCpuList(ctx.housekeepingCpus);
    const paths = groups.map((g) => join(root, g, 'cpuset.cpus'));
    // An empty cpuset.cpus means "the parent's": every core, so it is changed too.
    const r = await setFiles(ctx, 'cpuset', paths, list);
    if (r.changed.length) {
      const names = r.changed.map((p) => p.slice(root.length + 1, -'/cpuset.cpus'.length));
      return {
        status: 'applied',
        detail: `${names.join(', ')} on core(s) ${list}${own ? `; ${own} (the runner's) keeps all` : ''}`,
      };
    }
    if (r.already.length) return { status: 'skipped', detail: `already on core(s) ${list}` };
    return { status: 'skipped', detail: 'no other cgroup with cpuset.cpus (cpuset not enabled in the root)' };
  },
};

export const KNOBS: readonly Knob[] = [
  sysctlKnob(
    'numa-balancing',
    'turn automatic NUMA balancing off (it unmaps pages to sample them)',
    ['kernel/numa_balancing'],
    '0',
  ),
  sysctlKnob('timer-migration', 'keep timers on the core that armed them', ['kernel/timer_migration'], '0'),
  sysctlKnob(
    'watchdog',
    'turn the soft-lockup and NMI watchdogs off (periodic hrtimer and perf interrupts on every core)',
    ['kernel/soft_watchdog', 'kernel/nmi_watchdog'],
    '0',
  ),
  ksm,
  cpuDmaLatency,
  irqAffinity,
  workqueues,
  cpuset,
];

export function isKnobName(name: string): name is KnobName {
  return (KNOB_NAMES as readonly string[]).includes(name);
}

/** Applies one knob, turning a refusal into a `not-permitted` result. */
export async function applyKnob(knob: Knob, ctx: KnobContext): Promise<KnobResult> {
  try {
    return { knob: knob.name, ...(await knob.apply(ctx)) };
  } catch (error) {
    if (error instanceof Refused) return { knob: knob.name, status: 'not-permitted', detail: error.message };
    if (isNotPermitted(error)) {
      return {
        knob: knob.name,
        status: 'not-permitted',
        detail: `${errorCode(error)}: ${(error as Error).message}`,
      };
    }
    return { knob: knob.name, status: 'skipped', detail: `failed: ${(error as Error).message}` };
  }
}
