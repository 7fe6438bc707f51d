import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ARGV } from '../helpers/cli-argv.js';
import { hostTree, PREFLIGHT_CHECKS, removeHostTrees, UNTUNED } from '../helpers/host-tree.js';
import { bmf, pushImage, scriptLayers, startWorld, submit, type World, waitForJob } from './fixtures.js';

let world: World;
let image: string;
let runnerSlug: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  world = await startWorld();
  image = await pushImage(world, scriptLayers(`echo '${bmf('quiet', 1)}'\n`));
  const data = await world.admin.data<{ runners: { edges: Array<{ node: { slug: string } }> } }>(
    'query { runners(first: 100) { edges { node { slug } } } }',
  );
  runnerSlug = data.runners.edges.at(-1)!.node.slug;
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await removeHostTrees();
});

const PREFLIGHT = `query ($slug: String!) { runner(slug: $slug) { preflight { at checks { check level message } tuning { knob status detail } } } }`;

interface Preflight {
  at: string;
  checks: Array<{ check: string; level: string; message: string }>;
  tuning: Array<{ knob: string; status: string; detail: string }>;
}

async function preflightOfRunner(): Promise<Preflight | null> {
  const data = await world.admin.data<{ runner: { preflight: Preflight | null } }>(PREFLIGHT, {
    slug: runnerSlug,
  });
  return data.runner.preflight;
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `benchline runner up` in its own process, its preflight and tuning pointed at a test tree. */
function runnerUp(workDir: string, root: string, extra: string[]) {
  const child = spawn(process.execPath, [...CLI_ARGV, 'runner', 'up', '--work-dir', workDir, ...extra], {
    env: {
      ...process.env,
      BENCHLINE_HOST: world.server.url,
      BENCHLINE_RUNNER_KEY: world.runnerKey,
      BENCHLINE_TUNING_ROOT: root,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (c) => {
    err += c;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logs = () =>
    err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; level: number; [k: string]: unknown });
  return { child, stderr: () => err, logs, exited };
}

describe('runner up --tune (the real CLI, against a test tree)', { timeout: 120_000 }, () => {
  it('reports preflight and each knob, runs jobs tuned, and restores the host on SIGTERM', async () => {
    const tree = await hostTree();
    const workDir = join(world.dir, 'tuned');
    const daemon = runnerUp(workDir, tree.base, ['--tune', '--tune-off', 'ksm']);
    const { jobId } = await submit(world, { image });
    expect(await waitForJob(world, jobId)).toMatchObject({ status: 'PROCESSED' });
    const messages = daemon.logs().map((l) => l.msg);
    expect(messages).toContain('tune numa-balancing: applied — kernel/numa_balancing = 0');
    expect(messages).toContain('tune ksm: off — kept off (--tune-off)');
    expect(messages.some((m) => m.startsWith('preflight virtualized:'))).toBe(true);
    expect(messages.some((m) => m.startsWith('preflight irqbalance:'))).toBe(true);
    expect(await readFile(join(tree.proc, 'sys/kernel/numa_balancing'), 'utf8')).toBe('0');
    expect(await readFile(join(tree.sys, 'kernel/mm/ksm/run'), 'utf8')).toBe('1\n');
    await stat(join(workDir, 'tuning-state.json'));

    // The same report as data, for admins: each check's level and each knob's status.
    const preflight = await preflightOfRunner();
    expect(preflight?.checks.map((c) => c.check)).toEqual(PREFLIGHT_CHECKS);
    // The test tree has cgroup v2 and no hypervisor flag.
    expect(preflight?.checks.find((c) => c.check === 'cgroup-v2')?.level).toBe('ok');
    expect(preflight?.checks.find((c) => c.check === 'isolcpus')?.level).toBe('warn');
    expect(preflight?.tuning).toContainEqual({
      knob: 'numa-balancing',
      status: 'applied',
      detail: 'kernel/numa_balancing = 0',
    });
    expect(preflight?.tuning).toContainEqual({ knob: 'ksm', status: 'off', detail: 'kept off (--tune-off)' });
    expect(await world.server.client(world.runnerKey).errorCode(PREFLIGHT, { slug: runnerSlug })).toBe(
      'FORBIDDEN',
    );

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    for (const [path, value] of Object.entries(UNTUNED)) {
      if (path === 'dev/cpu_dma_latency') continue;
      expect((await readFile(join(tree.base, path), 'utf8')).trim(), path).toBe(value.trim());
    }
    await expect(stat(join(workDir, 'tuning-state.json'))).rejects.toThrow(/ENOENT/);
    expect(daemon.logs().map((l) => l.msg)).toContain('host settings restored');
  });

  it('refuses an unknown knob, and --tune-off without --tune, before touching anything', async () => {
    const tree = await hostTree();
    const bad = runnerUp(join(world.dir, 'bad-knob'), tree.base, ['--tune', '--tune-off', 'turbo']);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toMatch(/unknown tuning knob turbo/);
    const lonely = runnerUp(join(world.dir, 'lonely'), tree.base, ['--tune-off', 'ksm']);
    expect(await lonely.exited).toBe(1);
    expect(lonely.stderr()).toMatch(/--tune-off needs --tune/);
    const uncapped = runnerUp(join(world.dir, 'uncapped'), tree.base, [
      '--noise-probe-ms',
      '500',
      '--noise-probe-cap-ms',
      '100',
    ]);
    expect(await uncapped.exited).toBe(1);
    expect(uncapped.stderr()).toMatch(/--noise-probe-cap-ms 100 is not from --noise-probe-ms \(500\)/);
    expect(await readFile(join(tree.proc, 'sys/kernel/numa_balancing'), 'utf8')).toBe('1\n');
  });

  it('after a crash (SIGKILL), the next start — without --tune — puts the host back and says so', async () => {
    const tree = await hostTree();
    const workDir = join(world.dir, 'crashed');
    const tuned = runnerUp(workDir, tree.base, ['--tune']);
    await until('the tuning', () =>
      tuned.logs().some((l) => l.msg === 'tune workqueues: applied — unbound workqueues on mask 1'),
    );
    tuned.child.kill('SIGKILL');
    await tuned.exited;
    expect(await readFile(join(tree.proc, 'sys/kernel/timer_migration'), 'utf8')).toBe('0');
    await stat(join(workDir, 'tuning-state.json'));

    const next = runnerUp(workDir, tree.base, []);
    await until('the recovery', () =>
      next.logs().some((l) => l.msg === 'restored host settings a crashed runner had left tuned'),
    );
    for (const [path, value] of Object.entries(UNTUNED)) {
      if (path === 'dev/cpu_dma_latency') continue;
      expect((await readFile(join(tree.base, path), 'utf8')).trim(), path).toBe(value.trim());
    }
    await expect(stat(join(workDir, 'tuning-state.json'))).rejects.toThrow(/ENOENT/);
    // Untuned now, and its report says so.
    await until('the untuned report', () => next.logs().some((l) => l.msg === 'runner started'));
    const preflight = await preflightOfRunner();
    expect(preflight?.tuning).toEqual([]);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  });
});
