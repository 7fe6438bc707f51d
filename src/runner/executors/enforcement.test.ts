import { describe, expect, it } from 'vitest';
import { describeEnforcement, enforcementPlan } from './enforcement.js';
import { type HostCapabilities, probeHost } from './probe.js';

const bare: HostCapabilities = {
  cores: 2,
  bwrap: { path: '/usr/bin/bwrap', works: true },
  userNamespaces: true,
  cgroupV2: { mounted: false, writable: false },
  prlimit: undefined,
  taskset: undefined,
};

describe('enforcementPlan', () => {
  it('says NOT ENFORCED for every limit a bare host cannot hold', () => {
    const plan = enforcementPlan(bare, { identities: false, cgroup: false, mountScratch: false });
    expect(plan.filter((e) => !e.enforced).map((e) => e.limit)).toEqual([
      'cpu',
      'memory',
      'disk',
      'processes',
      'network',
    ]);
    expect(describeEnforcement(plan)).toContain('NOT ENFORCED: watchdog only');
  });

  it('holds the process limit only with a sandbox uid of its own or cgroup v2', () => {
    const tools = { ...bare, prlimit: '/usr/bin/prlimit', taskset: '/usr/bin/taskset' };
    const shared = enforcementPlan(tools, { identities: false, cgroup: false, mountScratch: false });
    expect(shared.find((e) => e.limit === 'processes')?.enforced).toBe(false);
    const own = enforcementPlan(tools, { identities: true, cgroup: false, mountScratch: false });
    expect(own.find((e) => e.limit === 'processes')).toMatchObject({ enforced: true });
    const cgroup = enforcementPlan(bare, { identities: false, cgroup: true, mountScratch: false });
    expect(cgroup.find((e) => e.limit === 'memory')?.mechanism).toContain('memory.max');
  });

  it('names the sized tmpfs as the disk limit where the runner mounts scratch, and the overshoot without it', () => {
    const tools = { ...bare, prlimit: '/usr/bin/prlimit' };
    const mounted = enforcementPlan(tools, { identities: true, cgroup: false, mountScratch: true });
    expect(mounted.find((e) => e.limit === 'disk')?.mechanism).toMatch(/^a tmpfs of the limit's size/);
    const watched = enforcementPlan(tools, { identities: true, cgroup: false, mountScratch: false });
    expect(watched.find((e) => e.limit === 'disk')?.mechanism).toContain('can overshoot');
  });

  it('enforces everything on this host when run as root', async () => {
    const caps = await probeHost();
    const plan = enforcementPlan(caps, {
      identities: Boolean(caps.root && caps.setpriv),
      cgroup: false,
      mountScratch: Boolean(caps.root),
    });
    console.log(`limits on this host:\n${describeEnforcement(plan)}`);
    if (caps.root && caps.userNet) expect(plan.every((e) => e.enforced)).toBe(true);
  });
});
