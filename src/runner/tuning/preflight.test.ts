import { afterAll, describe, expect, it } from 'vitest';
import { hostTree, PREFLIGHT_CHECKS, removeHostTrees } from '../../../test/helpers/host-tree.js';
import { REAL_HOST } from './host-roots.js';
import { preflight } from './preflight.js';

const CHECKS = PREFLIGHT_CHECKS;

const STAT = (busy1: number, idle1: number) =>
  `cpu  0 0 0 0 0 0 0 0\ncpu0 10 0 0 90 0 0 0 0\ncpu1 ${busy1} 0 0 ${idle1} 0 0 0 0\n`;

afterAll(removeHostTrees);

describe('preflight', () => {
  it('warns about each thing that makes a host noisy', async () => {
    const tree = await hostTree({
      'proc/4242/comm': 'irqbalance\n',
      'proc/cpuinfo': 'processor\t: 0\nflags\t\t: fpu vme hypervisor lm\n',
      'proc/cmdline': 'quiet isolcpus=2\n',
      'sys/devices/system/cpu/cpu1/cpufreq/scaling_governor': 'powersave\n',
      'sys/devices/system/cpu/cpu1/topology/thread_siblings_list': '1,3\n',
      'proc/stat': STAT(50, 50),
      'proc/vmstat': 'pswpin 10\npswpout 0\n',
    });
    const checks = await preflight({ roots: tree, benchmarkCpus: [1], housekeepingCpus: [0], sampleMs: 10 });
    expect(checks.map((c) => c.check)).toEqual(CHECKS);
    const by = Object.fromEntries(checks.map((c) => [c.check, c]));
    expect(by.irqbalance).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/irqbalance is running/),
    });
    expect(by['cgroup-v2']).toMatchObject({ level: 'warn' });
    expect(by.virtualized).toMatchObject({ level: 'warn' });
    expect(by.isolcpus).toMatchObject({
      level: 'warn',
      message: 'isolcpus=2 does not cover benchmark core(s) 1',
    });
    expect(by.nohz_full).toMatchObject({ level: 'warn', message: expect.stringMatching(/^no nohz_full=/) });
    expect(by.governor).toMatchObject({ level: 'warn', message: expect.stringMatching(/powersave/) });
    expect(by.smt).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/core 1 shares a physical core with 3/),
    });
    // A static /proc/stat: no ticks went by, so the load is unknown rather than made up.
    expect(by.load.level).toBe('info');
    expect(by.swap).toMatchObject({ level: 'ok' });
  });

  it('is quiet on a host set up for benchmarks', async () => {
    const tree = await hostTree({
      'proc/1/comm': 'systemd\n',
      'proc/cpuinfo': 'processor\t: 0\nflags\t\t: fpu vme lm\n',
      'proc/cmdline': 'quiet isolcpus=managed_irq,domain,1-3 nohz_full=1-3\n',
      'sys/fs/cgroup/cgroup.controllers': 'cpuset cpu\n',
      'sys/devices/system/cpu/cpu1/cpufreq/scaling_governor': 'performance\n',
      'sys/devices/system/cpu/cpu1/topology/thread_siblings_list': '1\n',
      'proc/stat': STAT(0, 100),
      'proc/vmstat': 'pswpin 0\npswpout 0\n',
    });
    const checks = await preflight({ roots: tree, benchmarkCpus: [1], housekeepingCpus: [0], sampleMs: 10 });
    expect(checks.filter((c) => c.level === 'warn')).toEqual([]);
  });

  it("reads this machine's files (and changes nothing)", async () => {
    const checks = await preflight({
      roots: REAL_HOST,
      benchmarkCpus: [1],
      housekeepingCpus: [0],
      sampleMs: 50,
    });
    expect(checks.map((c) => c.check)).toEqual(CHECKS);
    for (const c of checks) expect(c.message.length).toBeGreaterThan(5);
  });
});
