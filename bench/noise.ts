// Quiet runners: the fidelity workload's CV with and without `runner up --tune`, what each knob would do
// on this machine, and what the per-job noise probe costs. `npx tsx bench/noise.ts [--apply-real]`; also
// run by bench/run-all.ts (without --apply-real).
//
// By default this machine's settings are never changed: the "tuned" side applies every knob to a
// temporary tree laid out like /proc, /sys and /dev, so tuned and untuned run under the same real
// conditions and their difference is the bench's own spread. What --tune would do on the real host is
// probed by writing each file's current value back: the kernel says whether it allows the write, and no
// setting changes. The latency request (/dev/cpu_dma_latency) is not opened.
//
// `--apply-real` (opt-in, as root) applies the knobs this host permits for real during each tuned
// block and restores them right after it — also on SIGINT/SIGTERM, and a run killed outright is put back
// by the next one (the state file lives in ~/.cache/benchline/bench-noise, as a runner's would).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { defaultWorkDir } from '../src/runner/daemon.js';
import { HostExecutor } from '../src/runner/executors/host.js';
import { benchmarkCores, pinToRunnerCores } from '../src/runner/executors/limits.js';
import { findExecutable, probeHost } from '../src/runner/executors/probe.js';
import {
  DEFAULT_PROBE_CAP_MS,
  DEFAULT_PROBE_MS,
  ProbeTooShortError,
  probeBeforeJob,
} from '../src/runner/noise/job-probe.js';
import { summarize } from '../src/runner/noise/stats.js';
import { REAL_HOST, realIo, type TuningIo } from '../src/runner/tuning/host-roots.js';
import { applyTuning, recoverLeftoverTuning, type Tuning } from '../src/runner/tuning/tune.js';
import { hostTree, removeHostTrees } from '../test/helpers/host-tree.js';
import type { Figure } from './_shared.js';

const execFileAsync = promisify(execFile);

const BLOCKS = 4;
const RUNS_PER_BLOCK = 8;
const PASSES = 4;
const PROBES = 12;

/**
 * Reads the real files; each write puts back the value the file holds now, so the kernel's permission
 * check runs (EACCES, EPERM, EROFS, EIO answer as they would) and no setting changes. The latency
 * request is not opened at all: opening it is a request.
 */
const permissionProbeIo: TuningIo = {
  read: realIo.read,
  write: async (path) => realIo.write(path, (await realIo.read(path)).trim()),
  hold: async () => ({ write: async () => ({}), close: async () => {} }) as unknown as FileHandle,
};

async function buildWorkload(out: string): Promise<void> {
  const cc = await findExecutable('cc');
  if (!cc) throw new Error('the fidelity workload needs a C compiler with a static libc (cc)');
  await execFileAsync(cc, [
    '-O2',
    '-static',
    '-o',
    out,
    fileURLToPath(new URL('./_sandbox-workload.c', import.meta.url)),
  ]);
}

/** Where --apply-real keeps the previous values, so a killed bench is put back by the next run. */
const REAL_STATE_DIR = join(defaultWorkDir(), '..', 'bench-noise');

export async function run(options: { applyReal?: boolean } = {}): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'benchline-bench-noise-'));
  let live: Tuning | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    void (live?.restore() ?? Promise.resolve()).finally(() => {
      console.error(`${signal}: host settings restored`);
      process.exit(130);
    });
  };
  if (options.applyReal) {
    const leftover = await recoverLeftoverTuning(REAL_STATE_DIR);
    if (leftover) console.error(`restored what a killed bench had left tuned: ${JSON.stringify(leftover)}`);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    const caps = await probeHost();
    const binary = join(dir, 'sha256-passes');
    await buildWorkload(binary);
    const input = join(dir, 'input');
    await writeFile(input, randomBytes(16 * 1024 * 1024));

    // What --tune would do here: the real files read, each write a write-back of the current value.
    const dry = await applyTuning({
      workDir: join(dir, 'dry'),
      cores: caps.cores,
      io: permissionProbeIo,
      roots: REAL_HOST,
    });
    console.error('what `runner up --tune` would do on this host (each write put back the current value):');
    for (const r of dry.results) {
      const status =
        r.status !== 'applied' ? r.status : r.knob === 'cpu-dma-latency' ? 'not probed' : 'permitted';
      console.error(`  ${r.knob.padEnd(16)} ${status}: ${r.detail}`);
    }
    const wouldApply = dry.results.filter(
      (r) => r.status === 'applied' && r.knob !== 'cpu-dma-latency',
    ).length;

    // The fidelity workload as a job runs it: pinned to one benchmark core by the executor's own prefix,
    // the bench (playing the runner) on core 0.
    const host = new HostExecutor({ scratchRoot: dir, capabilities: caps });
    const workload = async (): Promise<number> => {
      const out: Buffer[] = [];
      const result = await host.run({
        rootfs: '/',
        argv: [binary, input, String(PASSES)],
        env: {},
        workingDir: dir,
        network: false,
        timeoutMs: 60_000,
        limits: { cpus: 1 },
        onStdout: (c) => out.push(c),
        onStderr: () => {},
      });
      await result.dispose();
      const m = /^wall_ns (\d+)/m.exec(Buffer.concat(out).toString());
      if (result.exitCode !== 0 || !m) throw new Error(`workload failed: ${Buffer.concat(out)}`);
      return Number(m[1]) / 1e6;
    };

    const tree = await hostTree();
    let realApplied: string[] = [];
    const unpin = await pinToRunnerCores(caps);
    const untuned: number[] = [];
    const tuned: number[] = [];
    const blockCvs: { untuned: number[]; tuned: number[] } = { untuned: [], tuned: [] };
    const probeWall: number[] = [];
    const probeCpu: number[] = [];
    const probeCv: number[] = [];
    let probeTruncated = 0;
    let probeFailed = 0;
    const load = [loadavg()[0]];
    try {
      for (let i = 0; i < 3; i++) await workload();
      // Blocks in ABBA order, so drift in the machine hits both sides alike.
      for (let b = 0; b < BLOCKS; b++) {
        for (const side of b % 2 === 0 ? (['untuned', 'tuned'] as const) : (['tuned', 'untuned'] as const)) {
          const tuning =
            side === 'untuned'
              ? null
              : options.applyReal
                ? await applyTuning({ workDir: REAL_STATE_DIR, cores: caps.cores, roots: REAL_HOST })
                : await applyTuning({ workDir: join(dir, 'tuned'), cores: 4, roots: tree });
          live = tuning;
          if (tuning && options.applyReal && b === 0) {
            console.error('applied for real during each tuned block, restored after it:');
            for (const r of tuning.results) console.error(`  ${r.knob.padEnd(16)} ${r.status}: ${r.detail}`);
          }
          if (tuning && options.applyReal) realApplied = tuning.applied;
          const times: number[] = [];
          // A failing workload still reaches the outer finally, which restores `live`.
          for (let i = 0; i < RUNS_PER_BLOCK; i++) times.push(await workload());
          const report = await tuning?.restore();
          live = null;
          if (report?.failed.length) throw new Error(`could not restore: ${JSON.stringify(report.failed)}`);
          (side === 'tuned' ? tuned : untuned).push(...times);
          blockCvs[side].push(summarize(times).cvPct);
        }
      }
      // The per-job probe, as the runner takes it before each job.
      const cpus = benchmarkCores(caps.cores);
      for (let i = 0; i < PROBES; i++) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        try {
          const noise = await probeBeforeJob({ cpus, taskset: caps.taskset, tuning: () => [] });
          probeCv.push(noise.cvPct);
          if (noise.truncated) probeTruncated++;
        } catch (error) {
          if (!(error instanceof ProbeTooShortError)) throw error;
          probeFailed++;
        }
        probeWall.push(performance.now() - started);
        const used = process.cpuUsage(cpu);
        probeCpu.push((used.user + used.system) / 1000);
      }
    } finally {
      await unpin();
    }
    load.push(loadavg()[0]);
    const sideName = options.applyReal
      ? `knobs applied to this host: ${realApplied.join(', ') || 'none permitted'}`
      : 'knobs applied to a test tree only';

    const u = summarize(untuned);
    const t = summarize(tuned);
    const job = u.median;
    const wall = summarize(probeWall);
    const spread = (xs: number[]) =>
      xs.length ? `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}%` : 'none sent';
    return [
      {
        name: `fidelity workload CV, tuned (${BLOCKS}×${RUNS_PER_BLOCK} runs; ${sideName}; block CVs ${spread(blockCvs.tuned)})`,
        value: t.cvPct,
        unit: '%',
        goal: options.applyReal
          ? '< 1 where tuning helps'
          : 'ratio ≈ 1 here (nothing real is tuned); < 1 on metal',
        anchor: u.cvPct,
        anchorName: `untuned, block CVs ${spread(blockCvs.untuned)}`,
        ratio: t.cvPct / u.cvPct,
      },
      {
        name: 'fidelity workload median, tuned',
        value: t.median,
        unit: 'ms',
        goal: 'same as untuned',
        anchor: u.median,
        anchorName: 'untuned',
        ratio: t.median / u.median,
      },
      {
        name: `knobs --tune may apply on this host (writes permitted, nothing changed; of ${dry.results.length})`,
        value: wouldApply,
        unit: 'knobs',
        goal: 'reported, not applied',
      },
      {
        name: `noise probe wall time (median of ${PROBES}, ${DEFAULT_PROBE_MS} ms budget, ${DEFAULT_PROBE_CAP_MS} ms cap; ${wall.min.toFixed(0)}–${wall.max.toFixed(0)} ms)`,
        value: wall.median,
        unit: 'ms',
        goal: 'a few hundred ms',
        anchor: job,
        anchorName: 'one fidelity workload run',
        ratio: wall.median / job,
      },
      {
        name: `noise probes cut short by the ${DEFAULT_PROBE_CAP_MS} ms cap (of ${PROBES}; ${probeFailed} too short to send)`,
        value: probeTruncated + probeFailed,
        unit: 'probes',
        goal: '0 on an idle runner',
      },
      {
        name: 'noise probe CPU time (median; the probe thread, its pinning and the runner side)',
        value: summarize(probeCpu).median,
        unit: 'ms',
        goal: '≈ wall time: one core busy',
      },
      {
        name: `noise probe CV (median of the ${probeCv.length} sent of ${PROBES}; ${spread(probeCv)}; load ${load.map((l) => l.toFixed(1)).join(' → ')})`,
        value: summarize(probeCv).median,
        unit: '%',
        goal: 'tracks the fidelity CV',
        anchor: u.cvPct,
        anchorName: 'fidelity CV, untuned',
        ratio: summarize(probeCv).median / u.cvPct,
      },
    ];
  } finally {
    await live?.restore();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await removeHostTrees();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run({ applyReal: process.argv.includes('--apply-real') })) {
    const anchor =
      f.anchor === undefined
        ? ''
        : `  (${f.anchorName}: ${f.anchor.toFixed(2)} ${f.unit}, ratio ${f.ratio?.toFixed(2)})`;
    console.log(`${f.name}: ${f.value.toFixed(2)} ${f.unit}${anchor}  [goal: ${f.goal}]`);
  }
}
