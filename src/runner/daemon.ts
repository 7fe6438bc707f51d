import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { describeEnforcement } from './executors/enforcement.js';
import type { Executor } from './executors/executor.js';
import { HostExecutor } from './executors/host.js';
import { benchmarkCores, pinToRunnerCores, runnerCores } from './executors/limits.js';
import { resolveJobPriority } from './executors/priority.js';
import { describeCapabilities, probeHost } from './executors/probe.js';
import { startRunner } from './main.js';
import { createSandboxExecutor } from './sandbox-executor.js';
import type { KnobName } from './tuning/knobs.js';

export interface DaemonOptions {
  serverUrl: string;
  key: string;
  specs: string[];
  executor: 'bwrap' | 'host';
  concurrency: number;
  workDir?: string;
  shutdownGraceMs: number;
  /** `--tune`: tune the host for quiet benchmarks, restoring it on exit. */
  tune?: boolean;
  /** `--tune-off`: knobs kept off. */
  tuneOff?: KnobName[];
  /** The noise probe's time budget before each job; 0 skips it (default 250 ms). */
  noiseProbeMs?: number;
  /** The most the probe may take, wall clock, however loaded the host (default 1000 ms). */
  noiseProbeCapMs?: number;
  /** Start even when a spec limit has no kernel mechanism on this host (printed as NOT ENFORCED). */
  allowUnenforcedLimits?: boolean;
  /** `--job-nice`: the nice value jobs start at (default DEFAULT_JOB_NICE where allowed; 0: default priority). */
  jobNice?: number;
  /** Ranges network-allowed jobs may not reach (default DEFAULT_NETWORK_DENY and the host's addresses). */
  networkDeny?: string[];
}

export function defaultWorkDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'benchline', 'runner');
}

/**
 * `benchline runner up`: structured logs (JSON lines) go to stderr, one plain progress line per job step
 * to stdout. SIGTERM/SIGINT stop claiming and let the running job finish within the grace period; a
 * second signal kills it at once (the job is failed honestly either way).
 */
export async function runDaemon(options: DaemonOptions): Promise<void> {
  const log = pino(
    {
      level: process.env.LOG_LEVEL || 'info',
      base: { service: 'benchline-runner' },
      redact: ['key', 'token', 'authorization'],
    },
    pino.destination(2),
  );
  const workDir = resolve(options.workDir ?? defaultWorkDir());
  const caps = await probeHost();
  const priority = resolveJobPriority({
    ...caps,
    sysNice: caps.sysNice ?? false,
    requested: options.jobNice,
  });
  caps.jobNice = priority.nice;
  log.info({ host: caps, summary: describeCapabilities(caps) }, 'host probe');
  log.info({ jobNice: priority.nice ?? 0 }, priority.reason);
  // Jobs run pinned to the benchmark cores; the runner's own timers, GC and output reading stay off them.
  await pinToRunnerCores(caps).then(
    () => log.info({ cores: runnerCores(caps.cores) }, 'runner pinned off the benchmark cores'),
    (error: unknown) =>
      log.warn({ err: String(error) }, 'could not pin the runner to its core; jobs may share it'),
  );

  let executor: Executor;
  if (options.executor === 'host') {
    log.warn('HOST EXECUTOR: jobs run with no isolation, as this user, with full access to this machine');
    executor = new HostExecutor({ capabilities: caps, scratchRoot: join(workDir, 'scratch') });
  } else {
    if (!caps.bwrap.path || !caps.bwrap.works) {
      throw new Error(
        `bubblewrap cannot sandbox jobs on this host (${caps.bwrap.path ? caps.bwrap.error : 'bwrap not found'}); ` +
          'install bubblewrap and allow unprivileged user namespaces, or run trusted jobs with --executor host',
      );
    }
    await mkdir(workDir, { recursive: true });
    const sandbox = await createSandboxExecutor(caps, { workDir, log, networkDeny: options.networkDeny });
    process.stdout.write(`limits on this host:\n${describeEnforcement(sandbox.plan)}\n`);
    const unenforced = sandbox.plan.filter((e) => !e.enforced).map((e) => e.limit);
    if (unenforced.length > 0 && !options.allowUnenforcedLimits) {
      throw new Error(
        `this host cannot enforce the spec's ${unenforced.join(', ')} limit(s) (see above); ` +
          'fix the host or start with --allow-unenforced-limits',
      );
    }
    executor = sandbox.executor;
  }

  let hostSetup: import('./tuning/host-setup.js').HostSetup | undefined;
  const runner = await startRunner({
    serverUrl: options.serverUrl,
    key: options.key,
    specs: options.specs,
    executor,
    workDir,
    concurrency: options.concurrency,
    shutdownGraceMs: options.shutdownGraceMs,
    log,
    progress: (line) => process.stdout.write(`${line}\n`),
    noiseProbe:
      options.noiseProbeMs === 0
        ? undefined
        : async (signal) => {
            const { probeBeforeJob } = await import('./noise/job-probe.js');
            return probeBeforeJob(
              {
                cpus: benchmarkCores(caps.cores),
                taskset: caps.taskset,
                nice: caps.jobNice,
                budgetMs: options.noiseProbeMs,
                capMs: options.noiseProbeCapMs,
                tuning: () => hostSetup?.tunedKnobs ?? [],
              },
              signal,
            );
          },
    // After the work dir is locked: its tuning state file belongs to this runner from here on.
    prepare: async () => {
      const { setUpHost } = await import('./tuning/host-setup.js');
      const { hostRootsFromEnv } = await import('./tuning/host-roots.js');
      hostSetup = await setUpHost({
        workDir,
        cores: caps.cores,
        tune: options.tune ?? false,
        off: options.tuneOff,
        roots: hostRootsFromEnv(),
        log,
      });
      return hostSetup.report;
    },
  });
  process.stdout.write(
    `runner up: ${options.serverUrl}, executor ${executor.name}, concurrency ${options.concurrency}, work dir ${workDir}\n`,
  );

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      process.stdout.write(`${signal}: no new jobs; finishing the running ones\n`);
      void runner.stop();
    } else {
      process.stdout.write(`${signal} again: killing running jobs and failing them\n`);
      void runner.stop({ graceMs: 0 });
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await runner.done;
  } finally {
    await hostSetup?.restore();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    log.flush();
  }
}
