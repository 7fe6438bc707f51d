import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { limitPrefix } from './limits.js';
import { hasSysNice, JobNiceError, parseJobNice, resolveJobPriority } from './priority.js';

describe('job priority', () => {
  it('reads CAP_SYS_NICE (bit 23) from the effective set', () => {
    expect(hasSysNice('Name:\tnode\nCapEff:\t000001ffffffffff\n')).toBe(true);
    expect(hasSysNice('CapEff:\t0000000000800000\n')).toBe(true);
    expect(hasSysNice('CapEff:\t00000000007fffff\n')).toBe(false);
    expect(hasSysNice('CapEff:\t0000000000000000\n')).toBe(false);
    expect(hasSysNice('no such line')).toBe(false);
  });

  it('parses --job-nice from -20 to 19 and refuses anything else', () => {
    expect(parseJobNice('-20')).toBe(-20);
    expect(parseJobNice('0')).toBe(0);
    expect(parseJobNice('19')).toBe(19);
    for (const bad of ['-21', '20', '1.5', 'high', ''])
      expect(() => parseJobNice(bad), bad).toThrow(JobNiceError);
  });

  it('raises jobs above the default only with CAP_SYS_NICE and cores of their own', () => {
    const host = { cores: 2, nice: '/usr/bin/nice', sysNice: true };
    expect(resolveJobPriority(host).nice).toBe(-20);
    expect(resolveJobPriority({ ...host, requested: -5 }).nice).toBe(-5);
    expect(resolveJobPriority({ ...host, requested: 0 }).nice).toBeUndefined();
    const unprivileged = resolveJobPriority({ ...host, sysNice: false });
    expect(unprivileged.nice).toBeUndefined();
    expect(unprivileged.reason).toMatch(/CAP_SYS_NICE/);
    expect(resolveJobPriority({ ...host, cores: 1 }).nice).toBeUndefined();
    expect(resolveJobPriority({ ...host, nice: undefined }).nice).toBeUndefined();
    // Lowering a job's priority needs no privilege.
    expect(resolveJobPriority({ ...host, sysNice: false, requested: 10 }).nice).toBe(10);
  });

  it('puts nice first in the limit prefix, before the sandbox drops its privileges', () => {
    const caps = {
      cores: 2,
      prlimit: '/usr/bin/prlimit',
      taskset: '/usr/bin/taskset',
      nice: '/usr/bin/nice',
    };
    const prefix = limitPrefix(
      { memoryBytes: 1 << 30 },
      { ...caps, setpriv: '/usr/bin/setpriv', jobNice: -20 },
      {
        uid: 1000,
        gid: 1000,
      },
    );
    // An increment from the runner's own value (a runner itself at nice 5 asks for -25).
    expect(prefix.slice(0, 3)).toEqual(['/usr/bin/nice', '-n', String(-20 - getPriority())]);
    expect(prefix.indexOf('/usr/bin/setpriv')).toBeGreaterThan(2);
    expect(limitPrefix(undefined, { ...caps, jobNice: undefined })).not.toContain('/usr/bin/nice');
  });
});
