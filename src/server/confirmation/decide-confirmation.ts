import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import { readJobConfig } from '../queue/job-config.js';
import { armValues } from './arm-values.js';
import { decide } from './statistics/index.js';
import type { Evidence, Verdict } from './verdicts.js';

interface OutputRow {
  iteration: number;
  files: unknown;
  stdout: string | null;
}

/** One output's raw text, as a run's iteration is read: its files (in the job's order) or stdout. */
function rawText(filePaths: string[], output: OutputRow): string {
  if (filePaths.length === 0) return output.stdout ?? '';
  const files = (output.files ?? {}) as Record<string, unknown>;
  return filePaths
    .filter((path) => typeof files[path] === 'string')
    .map((path) => files[path] as string)
    .join('\n');
}

/**
 * A completed confirmation job → each of its alerts' verdict and evidence, in the caller's
 * transaction. Only alerts still waiting (SUSPECTED, CONFIRMING, or CONFIRMATION_FAILED after a
 * late completion) are decided, so a repeat changes nothing. Throws PARSE_ERROR when an output
 * does not parse (the job then fails and the trigger marks the alerts CONFIRMATION_FAILED).
 */
export async function decideConfirmation(
  trx: Database,
  job: Selectable<Job>,
  outputs: readonly OutputRow[],
  now: Date,
): Promise<number> {
  const config = readJobConfig(job.config);
  const arms = config.arms ?? [];
  const rounds = config.rounds ?? 0;
  const alerts = await trx
    .selectFrom('alert')
    .innerJoin('boundary', 'boundary.id', 'alert.boundary_id')
    .innerJoin('metric', 'metric.id', 'boundary.metric_id')
    .innerJoin('benchmark', 'benchmark.id', 'metric.benchmark_id')
    .innerJoin('measure', 'measure.id', 'metric.measure_id')
    .innerJoin('report', 'report.id', 'metric.report_id')
    .innerJoin('project', 'project.id', 'alert.project_id')
    .select([
      'alert.id',
      'alert.side',
      'alert.baseline_digest',
      'metric.iteration',
      'benchmark.name as benchmark',
      'measure.slug as measure_slug',
      'measure.name as measure_name',
      'report.adapter',
      'report.average',
      'report.fold',
      'project.confirm_alpha',
      'project.confirm_min_effect',
    ])
    .where('alert.confirmation_job_id', '=', job.id)
    .where('alert.verdict', 'in', ['SUSPECTED', 'CONFIRMING', 'CONFIRMATION_FAILED'])
    .orderBy('alert.id')
    .forUpdate('alert')
    .execute();
  if (alerts.length === 0 || arms.length < 2) return 0;
  const first = alerts[0];
  const raw = new Map(outputs.map((o) => [o.iteration, rawText(config.filePaths ?? [], o)]));
  const values = armValues(
    { adapter: first.adapter, average: first.average, fold: first.fold },
    raw,
    { rounds, arms: arms.length, iterations: config.iterations },
    alerts.map((a) => ({
      iteration: a.iteration,
      benchmark: a.benchmark,
      measureSlug: a.measure_slug,
      measureName: a.measure_name,
    })),
  );
  const baseArm = (digest: string | null) =>
    Math.max(
      1,
      arms.findIndex((arm, i) => i > 0 && arm.digest === digest),
    );
  const arms2 = alerts.map((a, k) => ({
    head: values[k][0],
    base: values[k][baseArm(a.baseline_digest)],
    direction: a.side === 'UPPER' ? ('up' as const) : ('down' as const),
  }));
  const alpha = first.confirm_alpha;
  const minEffectPercent = first.confirm_min_effect;
  const decisions = decide({ alerts: arms2, alpha, minEffectPercent });
  for (let k = 0; k < alerts.length; k++) {
    const d = decisions[k];
    const evidence: Evidence = {
      test: d.test,
      pValue: d.pValue,
      adjustedPValue: d.adjustedPValue,
      changePercent: d.changePercent,
      lowerPercent: d.lowerPercent,
      upperPercent: d.upperPercent,
      confidence: d.confidence,
      reason: d.reason,
      alpha,
      minEffectPercent,
      rounds,
      head: arms2[k].head.map(jsonNumber),
      base: arms2[k].base.map(jsonNumber),
      baseDigest: alerts[k].baseline_digest ?? '',
    };
    const verdict: Verdict = d.verdict;
    await trx
      .updateTable('alert')
      .set({ verdict, evidence: JSON.stringify(evidence), updated_at: now })
      .where('id', '=', alerts[k].id)
      .execute();
  }
  return alerts.length;
}

/** JSON has no NaN: a round whose output lacked the value is stored as null. */
function jsonNumber(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
