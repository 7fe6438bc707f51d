import { mkdir } from 'node:fs/promises';
import { benchmarkCores, runnerCores } from '../executors/limits.js';
import { type HostRoots, REAL_HOST, realIo, type TuningIo } from './host-roots.js';
import { applyKnob, KNOBS, type KnobName, type KnobResult } from './knobs.js';
import { type RecordedChange, readLeftoverState, StateFile } from './state-file.js';

export interface RestoreReport {
  restored: number;
  failed: Array<{ path: string; error: string }>;
}

export interface TuneOptions {
  workDir: string;
  cores: number;
  /** Knobs kept off (each reports `off`). */
  off?: readonly KnobName[];
  roots?: HostRoots;
  io?: TuningIo;
}

export interface Tuning {
  results: KnobResult[];
  /** What a crashed previous runner had left changed and this start put back. */
  recovered: RestoreReport | null;
  /** The knobs in effect, as sent with each job. */
  applied: KnobName[];
  /** Puts every changed setting back and releases held requests; safe to call twice. */
  restore(): Promise<RestoreReport>;
}

/** Writes the recorded previous values back, newest first, so a file changed twice ends as it began. */
export async function restoreChanges(
  changes: readonly RecordedChange[],
  io: TuningIo = realIo,
): Promise<RestoreReport> {
  const report: RestoreReport = { restored: 0, failed: [] };
  for (const change of [...changes].reverse()) {
    try {
      await io.write(change.path, change.previous);
      report.restored++;
    } catch (error) {
      report.failed.push({ path: change.path, error: (error as Error).message });
    }
  }
  return report;
}

/**
 * Puts back what a previous runner in this work dir changed and did not restore (it was killed). Also
 * run on a start without --tune: a host must not stay tuned because its runner crashed once.
 */
export async function recoverLeftoverTuning(
  workDir: string,
  io: TuningIo = realIo,
): Promise<RestoreReport | null> {
  const leftover = await readLeftoverState(workDir);
  if (!leftover) return null;
  const report = await restoreChanges(leftover.changes, io);
  // A value that could not be written back stays recorded for the next attempt.
  const state = new StateFile(workDir);
  if (report.failed.length === 0) await state.remove();
  return report;
}

/**
 * `runner up --tune`: applies every knob not kept off, best-effort, each reporting applied / skipped
 * (why) / not permitted. Each previous value is in the work dir's state file before it is changed.
 */
export async function applyTuning(options: TuneOptions): Promise<Tuning> {
  const io = options.io ?? realIo;
  const roots = options.roots ?? REAL_HOST;
  await mkdir(options.workDir, { recursive: true });
  const recovered = await recoverLeftoverTuning(options.workDir, io);
  const state = new StateFile(options.workDir);
  const held: KnobContext['held'] = [];
  const housekeepingCpus = runnerCores(options.cores);
  const benchmarkCpus = benchmarkCores(options.cores);
  const off = new Set(options.off ?? []);
  const results: KnobResult[] = [];
  for (const knob of KNOBS) {
    if (off.has(knob.name)) {
      results.push({ knob: knob.name, status: 'off', detail: 'kept off (--tune-off)' });
      continue;
    }
    const steers = knob.name === 'irq-affinity' || knob.name === 'workqueues' || knob.name === 'cpuset';
    if (steers && housekeepingCpus.length === 0) {
      results.push({
        knob: knob.name,
        status: 'skipped',
        detail: 'one core: nowhere to steer the rest of the host to',
      });
      continue;
    }
    const before = state.changes.length;
    const result = await applyKnob(knob, {
      roots,
      io,
      benchmarkCpus,
      housekeepingCpus,
      held,
      record: (change) => state.record(change),
      discard: (change) => state.discard(change),
    });
    // A knob refused halfway puts back what it did change: it is either in effect or not.
    if (result.status !== 'applied' && state.changes.length > before) {
      const undone = await restoreChanges(state.changes.slice(before), io);
      if (undone.failed.length === 0) await state.truncate(before);
    }
    results.push(result);
  }
  let restored: Promise<RestoreReport> | undefined;
  return {
    results,
    recovered,
    applied: results.filter((r) => r.status === 'applied').map((r) => r.knob),
    restore: () => {
      restored ??= (async () => {
        const report = await restoreChanges(state.changes, io);
        await Promise.all(held.map((h) => h.close().catch(() => {})));
        if (report.failed.length === 0) await state.remove();
        return report;
      })();
      return restored;
    },
  };
}

type KnobContext = Parameters<typeof applyKnob>[1];

export function describeKnobResult(r: KnobResult): string {
  const status = { applied: 'applied', skipped: 'skipped', 'not-permitted': 'NOT PERMITTED', off: 'off' }[
    r.status
  ];
  return `tune ${r.knob}: ${status} — ${r.detail}`;
}
