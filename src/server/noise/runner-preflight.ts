import type { Database } from '../db/database.js';
import { badInput } from '../errors.js';

/** One preflight check a runner made at its start (src/runner/tuning/preflight.ts). */
export interface PreflightCheck {
  check: string;
  level: 'ok' | 'warn' | 'info';
  message: string;
}

/** What one tuning knob did at the runner's start (`runner up --tune`). */
export interface TuningKnob {
  knob: string;
  status: 'applied' | 'skipped' | 'not-permitted' | 'off';
  detail: string;
}

/** A runner's start-up report, as stored on its row. */
export interface RunnerPreflight {
  at: Date;
  checks: PreflightCheck[];
  /** Empty when the runner did not tune its host. */
  tuning: TuningKnob[];
}

const NAME = /^[a-z][a-z0-9_-]{0,39}$/;
const LEVELS = new Set(['ok', 'warn', 'info']);
const STATUSES = new Set(['applied', 'skipped', 'not-permitted', 'off']);
const MAX_ITEMS = 32;
const MAX_TEXT = 500;

function checkText(value: string, field: string): string {
  if (value.length === 0 || value.length > MAX_TEXT)
    throw badInput(`${field} must be 1 to ${MAX_TEXT} characters, got ${value.length}`, field);
  return value;
}

function checkName(value: string, field: string): string {
  if (!NAME.test(value))
    throw badInput(`${field}: ${JSON.stringify(value.slice(0, 50))} is not a check or knob name`, field);
  return value;
}

/** Checks a runner's start-up report; anything malformed is BAD_INPUT and nothing is stored. */
export function validatePreflight(input: {
  checks: ReadonlyArray<{ check: string; level: string; message: string }>;
  tuning?: ReadonlyArray<{ knob: string; status: string; detail: string }> | null;
}): Omit<RunnerPreflight, 'at'> {
  const tuning = input.tuning ?? [];
  if (input.checks.length > MAX_ITEMS) throw badInput(`at most ${MAX_ITEMS} checks`, 'checks');
  if (tuning.length > MAX_ITEMS) throw badInput(`at most ${MAX_ITEMS} knobs`, 'tuning');
  const checks = input.checks.map((c, i) => {
    if (!LEVELS.has(c.level))
      throw badInput(`checks[${i}].level must be ok, warn or info`, `checks[${i}].level`);
    return {
      check: checkName(c.check, `checks[${i}].check`),
      level: c.level as PreflightCheck['level'],
      message: checkText(c.message, `checks[${i}].message`),
    };
  });
  const knobs = tuning.map((k, i) => {
    if (!STATUSES.has(k.status)) {
      throw badInput(
        `tuning[${i}].status must be applied, skipped, not-permitted or off`,
        `tuning[${i}].status`,
      );
    }
    return {
      knob: checkName(k.knob, `tuning[${i}].knob`),
      status: k.status as TuningKnob['status'],
      detail: checkText(k.detail, `tuning[${i}].detail`),
    };
  });
  return { checks, tuning: knobs };
}

/** Replaces the runner's start-up report: only its latest start says how its host is now. */
export async function storePreflight(
  db: Database,
  runnerId: string,
  report: Omit<RunnerPreflight, 'at'>,
  now: Date,
): Promise<void> {
  await db
    .updateTable('runner')
    .set({
      preflight: JSON.stringify(report.checks),
      tuning: JSON.stringify(report.tuning),
      preflight_at: now,
    })
    .where('id', '=', runnerId)
    .execute();
}

/** The runner row's report; null until the runner has sent one. */
export function preflightOf(row: {
  preflight: unknown;
  tuning: unknown;
  preflight_at: Date | string | null;
}): RunnerPreflight | null {
  if (row.preflight_at === null || row.preflight === null) return null;
  return {
    at: new Date(row.preflight_at),
    checks: row.preflight as PreflightCheck[],
    tuning: (row.tuning ?? []) as TuningKnob[],
  };
}
