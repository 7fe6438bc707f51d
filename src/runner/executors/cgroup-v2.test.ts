import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobCgroup, prepareDelegation } from './cgroup-v2.js';

// This host has cgroup v1 only: the code path runs against a directory laid out like a delegated
// cgroup v2 subtree (/sys/fs/cgroup/…), where the kernel's files are plain files.
let root: string;
let delegated: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'benchline-cgroup-'));
  delegated = join(root, 'system.slice', 'benchline-runner.service');
  await mkdir(delegated, { recursive: true });
  await writeFile(join(delegated, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids rdma misc\n');
  await writeFile(join(delegated, 'cgroup.procs'), '');
  await writeFile(join(delegated, 'cgroup.subtree_control'), '');
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('cgroup v2 enforcement', () => {
  it('moves the runner into a leaf and hands cpuset, memory and pids to the job groups', async () => {
    await prepareDelegation(delegated, 4242);
    expect(await readFile(join(delegated, 'runner', 'cgroup.procs'), 'utf8')).toBe('4242');
    expect(await readFile(join(delegated, 'cgroup.subtree_control'), 'utf8')).toBe('+cpuset +memory +pids');
  });

  it('refuses a delegation without the controllers it needs', async () => {
    const bare = join(root, 'bare');
    await mkdir(bare);
    await writeFile(join(bare, 'cgroup.controllers'), 'cpu io\n');
    await expect(prepareDelegation(bare)).rejects.toThrow(/cpuset, memory, pids/);
  });

  it("writes the spec's limits into a group of the job's own and names the limit from its events", async () => {
    const group = await createJobCgroup(
      { path: delegated },
      { memoryBytes: 256 * 2 ** 20, maxProcesses: 32 },
      [1],
    );
    const file = (name: string) => readFile(join(group.path, name), 'utf8');
    expect(await file('memory.max')).toBe(String(256 * 2 ** 20));
    expect(await file('memory.swap.max')).toBe('0');
    expect(await file('pids.max')).toBe('34');
    expect(await file('cpuset.cpus')).toBe('1');
    expect(await group.exceeded()).toBeUndefined();
    await writeFile(join(group.path, 'pids.events'), 'max 3\n');
    expect((await group.exceeded())?.reason).toBe('PROCESS_LIMIT');
    await writeFile(join(group.path, 'memory.events'), 'low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n');
    expect(await group.exceeded()).toMatchObject({
      reason: 'OUT_OF_MEMORY',
      message: expect.stringContaining('256 MiB'),
    });
  });

  it('enters the group before the command runs: the prefix writes its own pid, then execs', async () => {
    const group = await createJobCgroup({ path: delegated }, {}, []);
    const [shell, ...args] = group.prefix;
    const { stdout } = await promisify(execFile)(shell, [...args, '/bin/sh', '-c', 'echo $$']);
    expect(await readFile(join(group.path, 'cgroup.procs'), 'utf8')).toBe(stdout);
    for (const name of await readdir(group.path)) await rm(join(group.path, name));
    await group.remove();
    expect(await readdir(delegated)).not.toContain(group.path.split('/').pop());
  });
});
