import { type Selectable, sql } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import type { BusEvent } from '../events/bus.js';
import { jobEvent, notifyJobEvent, notifyQueueEvent } from '../queue/events.js';
import { type ConfirmationArm, type JobConfig, readJobConfig } from '../queue/job-config.js';
import { tierOfPriority } from '../queue/tier.js';
import { plainArray } from '../results/pg-arrays.js';
import { type BaselineImage, chooseBaselines } from './baseline.js';
import { confirmationRounds } from './confirmation-rounds.js';

/**
 * After a run job's results raised alerts, in the same transaction: each alert gets its baseline
 * image (baseline.ts) and becomes SUSPECTED, and ONE confirmation job is queued for the report,
 * covering all of them — on the run's spec, priority and source, so tier limits, its timeout cap and
 * usage count it like any job. Alerts without a baseline, of a run without an image, or with confirmation off
 * (0 rounds) stay UNCONFIRMABLE (the column's default). Returns the events to publish after commit
 * when the bus has no SQL channel.
 */
export async function queueConfirmation(
  trx: Database,
  run: Selectable<Job>,
  alertIds: readonly string[],
  now: Date,
  tiers: Config['tiers'],
  channel?: string,
): Promise<BusEvent[]> {
  if (alertIds.length === 0 || run.kind !== 'RUN') return [];
  const report = await trx
    .selectFrom('report')
    .innerJoin('project', 'project.id', 'report.project_id')
    .select([
      'report.id',
      'report.branch_id',
      'report.testbed_id',
      'report.spec_id',
      'report.start_time',
      'report.image_digest',
      'report.confirm_rounds',
      'project.confirm_rounds as project_rounds',
      'project.confirm_alpha',
    ])
    .where('report.id', '=', run.report_id)
    .executeTakeFirstOrThrow();
  const asked = report.confirm_rounds ?? report.project_rounds;
  if (!report.image_digest || asked === 0) return [];

  const alerts = await trx
    .selectFrom('alert')
    .innerJoin('boundary', 'boundary.id', 'alert.boundary_id')
    .innerJoin('metric', 'metric.id', 'boundary.metric_id')
    .select(['alert.id', 'metric.benchmark_id', 'metric.measure_id'])
    .where('alert.id', 'in', alertIds as string[])
    .execute();
  const baselines = await chooseBaselines(
    trx,
    report,
    alerts.map((a) => ({ alertId: a.id, benchmarkId: a.benchmark_id, measureId: a.measure_id })),
  );
  const suspected = [...baselines].filter((entry): entry is [string, BaselineImage] => entry[1] !== null);
  if (suspected.length === 0) return [];

  const config = readJobConfig(run.config);
  const arms: ConfirmationArm[] = [{ name: 'head', repository: config.repository, digest: config.digest }];
  const armOf = new Map<string, number>();
  for (const [, base] of suspected) {
    const key = `${base.repository}@${base.digest}`;
    if (!armOf.has(key)) {
      armOf.set(key, arms.length);
      arms.push({ name: 'base', repository: base.repository, digest: base.digest });
    }
  }
  if (arms.length > 2) for (let i = 1; i < arms.length; i++) arms[i].name = `base-${i}`;
  const rounds = confirmationRounds({
    asked,
    alerts: suspected.length,
    alpha: report.confirm_alpha,
    probeCv: run.noise_cv_pct,
  });
  // The tier's maximum applies as to any job of the organization: a confirmation that cannot finish
  // within it fails (CONFIRMATION_FAILED) rather than holding a runner past what the plan allows.
  const timeoutSeconds = Math.min(
    tiers[tierOfPriority(run.priority)].maxTimeout,
    run.timeout_seconds * arms.length * rounds + 60,
  );
  const confirmation: JobConfig = { ...config, timeoutSeconds, kind: 'CONFIRMATION', rounds, arms };

  const { rows } = await sql<Selectable<Job>>`
    WITH j AS (
      INSERT INTO job (report_id, kind, organization_id, project_id, spec_id, status, priority, config,
        timeout_seconds, source_ip, created_at)
      VALUES (${run.report_id}::uuid, 'CONFIRMATION', ${run.organization_id}::uuid, ${run.project_id}::uuid,
        ${run.spec_id}::uuid, 'PENDING', ${run.priority}::int, ${JSON.stringify(confirmation)}::jsonb,
        ${timeoutSeconds}::int, ${run.source_ip}::text, ${now}::timestamptz)
      ON CONFLICT (report_id, kind) DO NOTHING
      RETURNING *
    ),
    a AS (
      UPDATE alert SET verdict = 'SUSPECTED', confirmation_job_id = j.id, baseline_report_id = s.report_id,
        baseline_digest = s.digest, updated_at = ${now}::timestamptz
      FROM j, unnest(${plainArray(suspected.map(([id]) => id))}::uuid[],
                     ${plainArray(suspected.map(([, b]) => b.reportId))}::uuid[],
                     ${suspected.map(([, b]) => b.digest)}::text[]) AS s(alert_id, report_id, digest)
      WHERE alert.id = s.alert_id
    )
    SELECT j.*, ${notifyQueueEvent(channel, sql.ref('j.spec_id'))} AS queued,
      ${notifyJobEvent(channel, 'j')} AS notified
    FROM j
  `.execute(trx);
  const job = rows[0];
  if (!job || channel) return [];
  return [{ topic: 'queue', specId: job.spec_id }, jobEvent(job)];
}
