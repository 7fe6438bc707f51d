import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hostTree, removeHostTrees, UNTUNED } from '../../../test/helpers/host-tree.js';
import { realIo, type TuningIo } from './host-roots.js';
import { KNOB_NAMES } from './knobs.js';
import { STATE_FILE } from './state-file.js';
import { applyTuning, recoverLeftoverTuning } from './tune.js';

const workDirs: string[] = [];
const workDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'benchline-tune-work-'));
  workDirs.push(dir);
  return dir;
};

afterAll(async () => {
  await Promise.all(workDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  await removeHostTrees();
});

async function contents(base: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of Object.keys(UNTUNED)) out[path] = await readFile(join(base, path), 'utf8');
  return out;
}

/** Open file descriptors of this process pointing at `path`. */
async function heldOpen(path: string): Promise<number> {
  let n = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    if ((await readlink(join('/proc/self/fd', fd)).catch(() => '')) === path) n++;
  }
  return n;
}

/** Real files, with the kernel's refusal played for the paths `refuse` matches. */
function refusingIo(refuse: (path: string) => string | null): TuningIo {
  const fail = (path: string) => {
    const code = refuse(path);
    if (code) throw Object.assign(new Error(`${code}: ${path}`), { code });
  };
  return {
    read: realIo.read,
    write: async (path, value) => {
      fail(path);
      return realIo.write(path, value);
    },
    hold: async (path) => {
      fail(path);
      return realIo.hold(path);
    },
  };
}

describe('runner up --tune, against a tree laid out like /proc, /sys and /dev', () => {
  it('applies every knob, records the previous values first, and puts them all back', async () => {
    const tree = await hostTree();
    const dir = await workDir();
    const tuning = await applyTuning({ workDir: dir, cores: 4, roots: tree });
    expect(tuning.results.map((r) => [r.knob, r.status])).toEqual(KNOB_NAMES.map((k) => [k, 'applied']));
    expect(tuning.applied).toEqual([...KNOB_NAMES]);
    const tuned = await contents(tree.base);
    expect(tuned).toMatchObject({
      'proc/sys/kernel/numa_balancing': '0',
      'proc/sys/kernel/timer_migration': '0',
      'proc/sys/kernel/soft_watchdog': '0',
      'proc/sys/kernel/nmi_watchdog': '0',
      'sys/kernel/mm/ksm/run': '0',
      'proc/irq/default_smp_affinity': '1',
      'proc/irq/0/smp_affinity_list': '0',
      'proc/irq/24/smp_affinity_list': '0',
      'proc/irq/36/smp_affinity_list': '0',
      'sys/devices/virtual/workqueue/cpumask': '1',
      'sys/fs/cgroup/system.slice/cpuset.cpus': '0',
      'sys/fs/cgroup/user.slice/cpuset.cpus': '0',
      // The runner's own cgroup keeps every core: its jobs run on the others.
      'sys/fs/cgroup/benchline.slice/cpuset.cpus': '\n',
    });
    // The latency request: a 32-bit 0, held open as long as the runner runs.
    const dma = join(tree.dev, 'cpu_dma_latency');
    expect(await readFile(dma)).toEqual(Buffer.alloc(4));
    expect(await heldOpen(dma)).toBe(1);
    const state = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8'));
    expect(state.changes).toContainEqual({
      knob: 'numa-balancing',
      path: join(tree.proc, 'sys/kernel/numa_balancing'),
      previous: '1',
    });
    expect(state.changes).toHaveLength(12);

    const report = await tuning.restore();
    expect(report).toEqual({ restored: 12, failed: [] });
    const restored = await contents(tree.base);
    for (const [path, value] of Object.entries(UNTUNED)) {
      if (path === 'dev/cpu_dma_latency') continue;
      expect(restored[path].trim(), path).toBe(value.trim());
    }
    expect(await heldOpen(dma)).toBe(0);
    await expect(stat(join(dir, STATE_FILE))).rejects.toThrow(/ENOENT/);
    // A second restore changes nothing.
    expect(await tuning.restore()).toEqual(report);
  });

  it('leaves a knob kept off untouched, and reports it off', async () => {
    const tree = await hostTree();
    const tuning = await applyTuning({
      workDir: await workDir(),
      cores: 4,
      roots: tree,
      off: ['timer-migration', 'cpu-dma-latency', 'irq-affinity'],
    });
    const status = Object.fromEntries(tuning.results.map((r) => [r.knob, r.status]));
    expect(status).toMatchObject({
      'timer-migration': 'off',
      'cpu-dma-latency': 'off',
      'irq-affinity': 'off',
    });
    expect(await readFile(join(tree.proc, 'sys/kernel/timer_migration'), 'utf8')).toBe('1\n');
    expect(await readFile(join(tree.proc, 'irq/24/smp_affinity_list'), 'utf8')).toBe('0-3\n');
    expect(await heldOpen(join(tree.dev, 'cpu_dma_latency'))).toBe(0);
    expect(tuning.applied).not.toContain('timer-migration');
    await tuning.restore();
  });

  it('says why a knob was skipped: missing on this kernel, already set, no cgroup v2, one core', async () => {
    const sparse = await hostTree({
      'proc/sys/kernel/numa_balancing': '0\n',
      'proc/irq/default_smp_affinity': '1\n',
      'proc/irq/0/smp_affinity_list': '0\n',
    });
    const tuning = await applyTuning({ workDir: await workDir(), cores: 4, roots: sparse });
    const detail = Object.fromEntries(tuning.results.map((r) => [r.knob, `${r.status}: ${r.detail}`]));
    expect(detail['numa-balancing']).toMatch(/^skipped: already 0/);
    expect(detail['timer-migration']).toMatch(/^skipped: not on this kernel/);
    expect(detail.ksm).toMatch(/^skipped: no KSM/);
    expect(detail['cpu-dma-latency']).toMatch(/^skipped: no \/dev\/cpu_dma_latency/);
    expect(detail['irq-affinity']).toMatch(/^skipped: 0 IRQs moved.*1 already there/);
    expect(detail.workqueues).toMatch(/^skipped: no workqueue cpumask/);
    expect(detail.cpuset).toMatch(/^skipped: no cgroup v2/);
    expect(tuning.applied).toEqual([]);
    await tuning.restore();
    // Nothing was created where the kernel had no file.
    await expect(stat(join(sparse.proc, 'sys/kernel/timer_migration'))).rejects.toThrow(/ENOENT/);
    await expect(stat(join(sparse.dev, 'cpu_dma_latency'))).rejects.toThrow(/ENOENT/);

    const one = await applyTuning({ workDir: await workDir(), cores: 1, roots: await hostTree() });
    const steering = one.results.filter((r) => ['irq-affinity', 'workqueues', 'cpuset'].includes(r.knob));
    expect(steering.every((r) => r.status === 'skipped' && /one core/.test(r.detail))).toBe(true);
    await one.restore();
  });

  it('reports a refused knob as not permitted and puts back what that knob had changed', async () => {
    const tree = await hostTree();
    const io = refusingIo((path) =>
      path.endsWith('nmi_watchdog') ||
      path.endsWith('cpu_dma_latency') ||
      /irq\/(default_smp_affinity|(24|36)\/smp_affinity_list)$/.test(path)
        ? 'EACCES'
        : path.endsWith('irq/0/smp_affinity_list')
          ? 'EIO'
          : null,
    );
    const tuning = await applyTuning({ workDir: await workDir(), cores: 4, roots: tree, io });
    const byKnob = Object.fromEntries(tuning.results.map((r) => [r.knob, r]));
    expect(byKnob.watchdog.status).toBe('not-permitted');
    expect(byKnob['cpu-dma-latency'].status).toBe('not-permitted');
    expect(byKnob['irq-affinity'].status).toBe('not-permitted');
    // Every IRQ refused: the knob is not permitted. The watchdog knob had turned soft_watchdog off
    // before nmi_watchdog was refused: back on.
    expect(await readFile(join(tree.proc, 'sys/kernel/soft_watchdog'), 'utf8')).toBe('1');
    expect(await readFile(join(tree.proc, 'irq/24/smp_affinity_list'), 'utf8')).toBe('0-3\n');
    expect(await readFile(join(tree.proc, 'irq/default_smp_affinity'), 'utf8')).toBe('f\n');
    expect(byKnob['irq-affinity'].detail).toMatch(/EACCES/);
    expect(byKnob.ksm.status).toBe('applied');
    expect(tuning.applied).toEqual(['numa-balancing', 'timer-migration', 'ksm', 'workqueues', 'cpuset']);
    // What the refused knobs had changed is back already; only the applied knobs remain to restore.
    expect(await tuning.restore()).toEqual({ restored: 6, failed: [] });
    expect(await readFile(join(tree.sys, 'kernel/mm/ksm/run'), 'utf8')).toBe('1');
  });

  it('counts IRQs the kernel will not move (EIO, EPERM) without failing the knob', async () => {
    const tree = await hostTree();
    const io = refusingIo((path) =>
      path.endsWith('irq/0/smp_affinity_list')
        ? 'EIO'
        : path.endsWith('irq/36/smp_affinity_list')
          ? 'EPERM'
          : null,
    );
    const dir = await workDir();
    const tuning = await applyTuning({ workDir: dir, cores: 4, roots: tree, io });
    const irq = tuning.results.find((r) => r.knob === 'irq-affinity')!;
    expect(irq.status).toBe('applied');
    expect(irq.detail).toMatch(/1 IRQs moved to core\(s\) 0; 2 unmovable/);
    expect(await readFile(join(tree.proc, 'irq/36/smp_affinity_list'), 'utf8')).toBe('2\n');
    // A refused write changed nothing, so nothing of it is recorded: the restore (which the kernel
    // would refuse just the same) does not try it, and leaves no state file for every next start.
    const state = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8'));
    expect(state.changes.map((c: { path: string }) => c.path)).not.toContain(
      join(tree.proc, 'irq/36/smp_affinity_list'),
    );
    expect((await tuning.restore()).failed).toEqual([]);
    await expect(stat(join(dir, STATE_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('after a crash (SIGKILL mid-run), the next start puts the host back', async () => {
    const tree = await hostTree();
    const dir = await workDir();
    const tune = fileURLToPath(new URL('./tune.ts', import.meta.url));
    const script = `import { applyTuning } from ${JSON.stringify(tune)};
      const t = await applyTuning({ workDir: ${JSON.stringify(dir)}, cores: 4, roots: ${JSON.stringify(tree)} });
      process.stdout.write('tuned ' + t.applied.length + '\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('tuned') && resolve());
      child.once('exit', (code) => reject(new Error(`tuning child exited ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(await readFile(join(tree.proc, 'sys/kernel/numa_balancing'), 'utf8')).toBe('0');
    expect(await readFile(join(tree.sys, 'fs/cgroup/user.slice/cpuset.cpus'), 'utf8')).toBe('0');

    // The next start (tuned or not) finds the state file and restores from it.
    const recovered = await recoverLeftoverTuning(dir);
    expect(recovered).toEqual({ restored: 12, failed: [] });
    const restored = await contents(tree.base);
    for (const [path, value] of Object.entries(UNTUNED)) {
      if (path !== 'dev/cpu_dma_latency') expect(restored[path].trim(), path).toBe(value.trim());
    }
    expect(await recoverLeftoverTuning(dir)).toBeNull();
  });

  it('a tuned start after a crash recovers first, then tunes from the true previous values', async () => {
    const tree = await hostTree();
    const dir = await workDir();
    const first = await applyTuning({ workDir: dir, cores: 4, roots: tree });
    expect(first.applied).toHaveLength(KNOB_NAMES.length);
    // No restore: as if killed. The next runner must not record the tuned values as "previous".
    const second = await applyTuning({ workDir: dir, cores: 4, roots: tree });
    expect(second.recovered).toEqual({ restored: 12, failed: [] });
    await second.restore();
    expect(await readFile(join(tree.proc, 'sys/kernel/numa_balancing'), 'utf8')).toBe('1');
    expect(await readFile(join(tree.sys, 'fs/cgroup/system.slice/cpuset.cpus'), 'utf8')).toBe('');
    await first.restore().catch(() => {});
  });
});
