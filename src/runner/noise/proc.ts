import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One CPU's line of /proc/stat, in clock ticks (USER_HZ). */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

const FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

/** /proc/stat's per-CPU lines (`cpu0 …`), keyed by CPU number; the aggregate `cpu` line is left out. */
export function parseProcStat(text: string): Map<number, CpuTimes> {
  const cpus = new Map<number, CpuTimes>();
  for (const line of text.split('\n')) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const values = match[2].trim().split(/\s+/).map(Number);
    const times = {} as CpuTimes;
    FIELDS.forEach((field, i) => {
      times[field] = Number.isFinite(values[i]) ? values[i] : 0;
    });
    cpus.set(Number(match[1]), times);
  }
  return cpus;
}

export function totalTicks(t: CpuTimes): number {
  return FIELDS.reduce((sum, f) => sum + t[f], 0);
}

export function busyTicks(t: CpuTimes): number {
  return t.user + t.nice + t.system + t.irq + t.softirq;
}

/** Interrupts delivered to each CPU since boot: the per-CPU columns of /proc/interrupts summed. */
export function parseInterrupts(text: string): number[] {
  const lines = text.split('\n');
  const header = lines[0]?.trim().split(/\s+/) ?? [];
  const cpus = header.filter((h) => /^CPU\d+$/.test(h)).length;
  const totals = new Array<number>(cpus).fill(0);
  for (const line of lines.slice(1)) {
    const fields = line
      .trim()
      .split(/\s+/)
      .slice(1, cpus + 1);
    fields.forEach((field, i) => {
      const n = Number(field);
      if (Number.isFinite(n)) totals[i] += n;
    });
  }
  return totals;
}

export interface ContextSwitches {
  voluntary: number;
  involuntary: number;
}

/** The context-switch counters of /proc/<pid>/status (or …/task/<tid>/status). */
export function parseContextSwitches(text: string): ContextSwitches | null {
  const voluntary = /^voluntary_ctxt_switches:\s*(\d+)/m.exec(text);
  const involuntary = /^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(text);
  if (!voluntary || !involuntary) return null;
  return { voluntary: Number(voluntary[1]), involuntary: Number(involuntary[1]) };
}

export interface LoadAverage {
  one: number;
  five: number;
  fifteen: number;
  /** Runnable tasks right now (the fourth field's numerator). */
  running: number;
}

export function parseLoadavg(text: string): LoadAverage | null {
  const m = /^([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\//.exec(text.trim());
  if (!m) return null;
  return { one: Number(m[1]), five: Number(m[2]), fifteen: Number(m[3]), running: Number(m[4]) };
}

/** Swap-ins and swap-outs since boot, from /proc/vmstat. */
export function parseSwapActivity(text: string): { pswpin: number; pswpout: number } {
  const get = (name: string) => Number(new RegExp(`^${name}\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { pswpin: get('pswpin'), pswpout: get('pswpout') };
}

/** A CPU list as the kernel writes it (`0-3,8,10-11`). */
export function parseCpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-').map(Number);
    if (!Number.isInteger(a)) continue;
    for (let c = a; c <= (Number.isInteger(b) ? b : a); c++) cpus.push(c);
  }
  return cpus;
}

export function formatCpuList(cpus: readonly number[]): string {
  return [...cpus].sort((a, b) => a - b).join(',');
}

/** A CPU set as a hex mask, as smp_affinity and the workqueue cpumask take it. */
export function cpuMask(cpus: readonly number[]): string {
  let mask = 0n;
  for (const c of cpus) mask |= 1n << BigInt(c);
  return mask.toString(16);
}

export async function readOptional(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch(() => null);
}

/** What the noise measurement reads around its run, from a /proc tree (the real one or a test's). */
export interface ProcSnapshot {
  at: number;
  cpus: Map<number, CpuTimes> | null;
  interrupts: number[] | null;
  load: LoadAverage | null;
}

export async function snapshot(procRoot: string): Promise<ProcSnapshot> {
  const [stat, interrupts, loadavg] = await Promise.all([
    readOptional(join(procRoot, 'stat')),
    readOptional(join(procRoot, 'interrupts')),
    readOptional(join(procRoot, 'loadavg')),
  ]);
  return {
    at: performance.now(),
    cpus: stat === null ? null : parseProcStat(stat),
    interrupts: interrupts === null ? null : parseInterrupts(interrupts),
    load: loadavg === null ? null : parseLoadavg(loadavg),
  };
}

export interface CoreActivity {
  /** Share of the cores' time the hypervisor gave to someone else, in percent. */
  stealPct: number | null;
  /** Share of the cores' time spent busy (anyone, the measurement included), in percent. */
  busyPct: number | null;
  /** Interrupts delivered to the cores per second. */
  interruptsPerSecond: number | null;
}

/** What happened on `cpus` between two snapshots. */
export function coreActivity(
  before: ProcSnapshot,
  after: ProcSnapshot,
  cpus: readonly number[],
): CoreActivity {
  let steal = 0;
  let busy = 0;
  let total = 0;
  let complete = before.cpus !== null && after.cpus !== null;
  for (const cpu of cpus) {
    const a = before.cpus?.get(cpu);
    const b = after.cpus?.get(cpu);
    if (!a || !b) {
      complete = false;
      continue;
    }
    steal += b.steal - a.steal;
    busy += busyTicks(b) - busyTicks(a);
    total += totalTicks(b) - totalTicks(a);
  }
  const seconds = (after.at - before.at) / 1000;
  let interrupts: number | null = null;
  if (before.interrupts && after.interrupts && seconds > 0) {
    interrupts = 0;
    for (const cpu of cpus) interrupts += (after.interrupts[cpu] ?? 0) - (before.interrupts[cpu] ?? 0);
    interrupts /= seconds;
  }
  return {
    stealPct: complete && total > 0 ? (100 * steal) / total : complete ? 0 : null,
    busyPct: complete && total > 0 ? (100 * busy) / total : null,
    interruptsPerSecond: interrupts,
  };
}
