import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { badInput } from '../errors.js';

/** What a runner measured just before a job (its noise probe), as sent with startJob. */
export interface JobNoise {
  cvPct: number;
  stealPct: number | null;
  load: number | null;
  involuntaryContextSwitches: number | null;
  probeMs: number | null;
  /** The probe's wall-clock cap cut it short: its CV rests on fewer repetitions than its budget allows. */
  truncated: boolean;
  /** Host tuning knobs in effect (`runner up --tune`); empty when untuned. */
  tuning: string[];
}

const KNOB = /^[a-z][a-z0-9-]{0,39}$/;

function bounded(value: number | null | undefined, field: string, max: number): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw badInput(`noise.${field} must be a number from 0 to ${max}, got ${value}`, `noise.${field}`);
  }
  return value;
}

/** Checks a runner's noise report; anything out of range is BAD_INPUT and nothing is stored. */
export function validateJobNoise(input: {
  cvPct: number;
  stealPct?: number | null;
  load?: number | null;
  involuntaryContextSwitches?: number | null;
  probeMs?: number | null;
  truncated?: boolean | null;
  tuning?: readonly string[] | null;
}): JobNoise {
  const tuning = [...(input.tuning ?? [])];
  if (tuning.length > 16) throw badInput('noise.tuning names at most 16 knobs', 'noise.tuning');
  const bad = tuning.find((k) => !KNOB.test(k));
  if (bad !== undefined)
    throw badInput(`noise.tuning: ${JSON.stringify(bad.slice(0, 50))} is not a knob name`, 'noise.tuning');
  return {
    cvPct: bounded(input.cvPct, 'cvPct', 10_000)!,
    stealPct: bounded(input.stealPct, 'stealPct', 100),
    load: bounded(input.load, 'load', 100_000),
    involuntaryContextSwitches: bounded(
      input.involuntaryContextSwitches,
      'involuntaryContextSwitches',
      2 ** 31 - 1,
    ),
    probeMs: bounded(input.probeMs, 'probeMs', 3_600_000),
    truncated: input.truncated ?? false,
    tuning: [...new Set(tuning)],
  };
}

/** The job's noise columns, for the startJob statement's SET list. */
export function noiseColumns(noise: JobNoise | null) {
  return sql`noise_cv_pct = ${noise?.cvPct ?? null}, noise_steal_pct = ${noise?.stealPct ?? null},
    noise_load = ${noise?.load ?? null}, noise_involuntary_switches = ${noise?.involuntaryContextSwitches ?? null},
    noise_probe_ms = ${noise?.probeMs ?? null}, noise_truncated = ${noise?.truncated ?? null},
    noise_tuning = ${noise ? noise.tuning : null}::text[]`;
}

/**
 * The job's noise columns for a statement that may or may not carry a probe (the completion, when
 * the claim started the job): the probe's values when given, else what the row holds. The text
 * is the same either way, so the statement stays one prepared statement.
 */
export function noiseColumnsIfGiven(noise: JobNoise | null) {
  const keep = (column: string, value: unknown, type: string) =>
    sql`${sql.ref(column)} = CASE WHEN ${noise !== null}::bool THEN ${value}::${sql.raw(type)} ELSE ${sql.ref(`job.${column}`)} END`;
  return sql.join([
    keep('noise_cv_pct', noise?.cvPct ?? null, 'float8'),
    keep('noise_steal_pct', noise?.stealPct ?? null, 'float8'),
    keep('noise_load', noise?.load ?? null, 'float8'),
    keep('noise_involuntary_switches', noise?.involuntaryContextSwitches ?? null, 'int4'),
    keep('noise_probe_ms', noise?.probeMs ?? null, 'float8'),
    keep('noise_truncated', noise?.truncated ?? null, 'bool'),
    keep('noise_tuning', noise ? noise.tuning : null, 'text[]'),
  ]);
}

/** The job's noise columns as a row patch, for the paths that update the job with the query builder. */
export function noisePatch(noise: JobNoise | null) {
  if (!noise) return {};
  return {
    noise_cv_pct: noise.cvPct,
    noise_steal_pct: noise.stealPct,
    noise_load: noise.load,
    noise_involuntary_switches: noise.involuntaryContextSwitches,
    noise_probe_ms: noise.probeMs,
    noise_truncated: noise.truncated,
    noise_tuning: noise.tuning,
  };
}

/**
 * A CTE body keeping the runner's latest noise on its row (confirmation prefers the quieter runner),
 * only when the job was changed: `alias` names the statement's CTE holding the job it updated.
 */
export function runnerNoiseUpdate(noise: JobNoise | null, runnerId: string, now: Date, alias = 'started') {
  return sql`UPDATE runner SET noise_cv_pct = ${noise?.cvPct ?? null}, noise_steal_pct = ${noise?.stealPct ?? null},
      noise_load = ${noise?.load ?? null}, noise_tuning = ${noise ? noise.tuning : null}::text[],
      noise_truncated = ${noise?.truncated ?? null}, noise_measured_at = ${now}
    WHERE id = ${runnerId} AND ${noise?.cvPct ?? null}::float8 IS NOT NULL AND EXISTS (SELECT 1 FROM ${sql.table(alias)})`;
}

/** The runner's latest noise on its own, for the paths that change the job without such a CTE. */
export async function recordRunnerNoise(db: Database, noise: JobNoise | null, runnerId: string, now: Date) {
  if (!noise) return;
  await db
    .updateTable('runner')
    .set({
      noise_cv_pct: noise.cvPct,
      noise_steal_pct: noise.stealPct,
      noise_load: noise.load,
      noise_tuning: noise.tuning,
      noise_truncated: noise.truncated,
      noise_measured_at: now,
    })
    .where('id', '=', runnerId)
    .execute();
}

export interface NoiseSample {
  jobId: string;
  at: Date;
  cvPct: number;
  stealPct: number | null;
  load: number | null;
  truncated: boolean;
  tuning: string[];
}

/** A runner's probes over time, newest first (the job_runner_noise index). */
export async function runnerNoiseHistory(
  db: Database,
  runnerId: string,
  limit: number,
): Promise<NoiseSample[]> {
  const rows = await db
    .selectFrom('job')
    .select([
      'id',
      'started_at',
      'noise_cv_pct',
      'noise_steal_pct',
      'noise_load',
      'noise_truncated',
      'noise_tuning',
    ])
    .where('runner_id', '=', runnerId)
    .where('noise_cv_pct', 'is not', null)
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    jobId: r.id,
    at: r.started_at as Date,
    cvPct: r.noise_cv_pct!,
    stealPct: r.noise_steal_pct,
    load: r.noise_load,
    truncated: r.noise_truncated ?? false,
    tuning: r.noise_tuning ?? [],
  }));
}
