import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  coreActivity,
  cpuMask,
  type ProcSnapshot,
  parseContextSwitches,
  parseCpuList,
  parseInterrupts,
  parseLoadavg,
  parseProcStat,
  parseSwapActivity,
} from './proc.js';

const STAT = `cpu  300 0 100 900 0 0 0 40 0 0
cpu0 100 0 50 500 0 0 0 0 0 0
cpu1 200 0 50 400 0 0 0 40 0 0
intr 1 2 3
ctxt 99
`;

describe('/proc parsing', () => {
  it('reads per-CPU times, leaving the aggregate line out', () => {
    const cpus = parseProcStat(STAT);
    expect([...cpus.keys()]).toEqual([0, 1]);
    expect(cpus.get(1)).toEqual({
      user: 200,
      nice: 0,
      system: 50,
      idle: 400,
      iowait: 0,
      irq: 0,
      softirq: 0,
      steal: 40,
    });
  });

  it('sums /proc/interrupts per CPU, including lines with fewer columns', () => {
    const text = `           CPU0       CPU1
 24:          1          0  IO-APIC   5-edge      ACPI:Ged
 36:          0     109310 PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0
NMI:          5          7   Non-maskable interrupts
ERR:          0
`;
    expect(parseInterrupts(text)).toEqual([6, 109317]);
  });

  it('reads context switches, load, swap and CPU lists', () => {
    expect(
      parseContextSwitches('Name:\tx\nvoluntary_ctxt_switches:\t12\nnonvoluntary_ctxt_switches:\t3\n'),
    ).toEqual({
      voluntary: 12,
      involuntary: 3,
    });
    expect(parseContextSwitches('Name: x')).toBeNull();
    expect(parseLoadavg('1.96 0.90 0.37 3/157 11437\n')).toEqual({
      one: 1.96,
      five: 0.9,
      fifteen: 0.37,
      running: 3,
    });
    expect(parseLoadavg('garbage')).toBeNull();
    expect(parseSwapActivity('nr_free_pages 1\npswpin 7\npswpout 9\n')).toEqual({ pswpin: 7, pswpout: 9 });
    expect(parseCpuList('0-3,8,10-11\n')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(cpuMask([0])).toBe('1');
    expect(cpuMask([0, 1, 4])).toBe('13');
    expect(cpuMask([64])).toBe('10000000000000000');
  });

  it("turns two snapshots into the cores' steal, busy share and interrupt rate", () => {
    const before: ProcSnapshot = { at: 0, cpus: parseProcStat(STAT), interrupts: [10, 100], load: null };
    const later = STAT.replace('cpu1 200 0 50 400 0 0 0 40', 'cpu1 260 0 60 420 0 0 0 60');
    const after: ProcSnapshot = { at: 2000, cpus: parseProcStat(later), interrupts: [10, 300], load: null };
    const core1 = coreActivity(before, after, [1]);
    // 100 ticks went by on core 1: 70 busy, 20 idle, 20 stolen (of 110 in all).
    expect(core1.stealPct).toBeCloseTo((100 * 20) / 110);
    expect(core1.busyPct).toBeCloseTo((100 * 70) / 110);
    expect(core1.interruptsPerSecond).toBe(100);
    expect(coreActivity(before, { ...after, cpus: null }, [1]).stealPct).toBeNull();
  });

  it("parses this machine's own files (read only)", async () => {
    const cpus = parseProcStat(await readFile('/proc/stat', 'utf8'));
    expect(cpus.size).toBeGreaterThan(0);
    expect(parseInterrupts(await readFile('/proc/interrupts', 'utf8'))).toHaveLength(cpus.size);
    expect(parseLoadavg(await readFile('/proc/loadavg', 'utf8'))).not.toBeNull();
    expect(parseContextSwitches(await readFile('/proc/self/status', 'utf8'))).not.toBeNull();
  });
});
