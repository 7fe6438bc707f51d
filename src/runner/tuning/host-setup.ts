import type { Logger } from 'pino';
import { benchmarkCores, runnerCores } from '../executors/limits.js';
import { type HostRoots, REAL_HOST } from './host-roots.js';
import type { KnobName, KnobResult } from './knobs.js';
import { type PreflightCheck, preflight } from './preflight.js';
import { applyTuning, describeKnobResult, recoverLeftoverTuning, type Tuning } from './tune.js';

export interface HostSetupOptions {
  workDir: string;
  cores: number;
  /** Apply the tunings (`--tune`); without it the host is only checked (and a crashed run's leftovers restored). */
  tune: boolean;
  off?: readonly KnobName[];
  roots?: HostRoots;
  log: Logger;
}

export interface HostSetup {
  preflight: PreflightCheck[];
  /** The checks and knob results as the runner sends them (Runner.preflight). */
  report: { checks: PreflightCheck[]; tuning: KnobResult[] };
  tuning: Tuning | null;
  /** The knobs in effect, sent with each job's noise. */
  tunedKnobs: KnobName[];
  restore(): Promise<void>;
}

/** The runner's start: preflight report, leftovers of a crashed run put back, then tuning when asked. */
export async function setUpHost(options: HostSetupOptions): Promise<HostSetup> {
  const { log } = options;
  const roots = options.roots ?? REAL_HOST;
  const checks = await preflight({
    roots,
    benchmarkCpus: benchmarkCores(options.cores),
    housekeepingCpus: runnerCores(options.cores),
  });
  for (const c of checks) {
    const line = `preflight ${c.check}: ${c.message}`;
    if (c.level === 'warn') log.warn({ preflight: c }, line);
    else log.info({ preflight: c }, line);
  }
  let tuning: Tuning | null = null;
  if (options.tune) {
    tuning = await applyTuning({ workDir: options.workDir, cores: options.cores, off: options.off, roots });
    if (tuning.recovered)
      log.warn({ recovered: tuning.recovered }, 'restored host settings a crashed runner had left tuned');
    for (const r of tuning.results) {
      (r.status === 'not-permitted' ? log.warn : log.info).call(log, { tuning: r }, describeKnobResult(r));
    }
  } else {
    const recovered = await recoverLeftoverTuning(options.workDir);
    if (recovered) log.warn({ recovered }, 'restored host settings a crashed runner had left tuned');
  }
  return {
    preflight: checks,
    report: { checks, tuning: tuning?.results ?? [] },
    tuning,
    tunedKnobs: tuning?.applied ?? [],
    restore: async () => {
      if (!tuning) return;
      const report = await tuning.restore();
      if (report.failed.length)
        log.error({ report }, 'could not restore every tuned host setting; the next start retries');
      else log.info({ restored: report.restored }, 'host settings restored');
    },
  };
}
