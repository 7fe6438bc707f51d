import { type Selectable, sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import type { Job } from '../db/schema.js';
import { noiseColumnsIfGiven, runnerNoiseUpdate } from '../noise/job-noise.js';
import type { ParseSettings } from '../results/parse-output.js';
import type { DecodedChunk } from './append-logs-locked.js';
import type { CompletionInput } from './complete-job.js';
import { notifyJobEvent } from './events.js';
import { nonzeroExitMessage } from './process-job.js';
import { billedMinutesSql, recordUsageFrom } from './usage.js';

/**
 * RUNNING → COMPLETED for the runner that holds the job, with its outputs stored, its minutes
 * billed and the runner's noise probe kept (when it came with the completion), in one statement;
 * undefined when the job is not RUNNING or not this runner's (the caller then decides under the
 * row lock). The UPDATE's guard is re-checked on the latest row version after any wait for its
 * lock, so it is as strict as lock-then-check.
 *
 * With `settle`, a run job goes straight to where processing will leave it when processing
 * succeeds — PROCESSED, or FAILED NONZERO_EXIT — instead of COMPLETED then that: one row version
 * and one job event fewer per lifecycle. Only for a caller that processes in the same transaction
 * and rolls all of it back when processing throws (completeJob's first try), so no one ever sees
 * a settled job whose results are missing. Confirmation jobs are never settled here: their
 * status trigger acts on the change.
 *
 * Also returns how the job's report parses its outputs (columns that never change), so that
 * processing, which follows in the same transaction, can parse before its first statement.
 *
 * With `logs` (the last batch, sorted, one chunk per seq) the same statement appends them, but
 * only when they continue the stored log exactly: else it changes nothing and returns undefined,
 * and the caller appends the careful way first (append-job-logs.ts). `logged` is how many chunks
 * went in; fewer than given means the statement's idea of the log's end was stale (a concurrent
 * append it waited for), and the caller must roll back and take the careful way.
 */
export async function completeRunning(
  trx: Database,
  input: CompletionInput,
  settle = false,
  logs: readonly DecodedChunk[] = [],
): Promise<{ job: Selectable<Job>; parse: ParseSettings; logged: number } | undefined> {
  const { now, outputs } = input;
  const settles = sql`${settle}::bool AND kind = 'RUN'`;
  const failed = sql`${input.exitCode}::int <> 0`;
  const withLogs = logs.length > 0;
  // The log's end in the statement's snapshot; the chunks must start there and have no gap.
  const logCtes = withLogs
    ? sql`log_end AS (SELECT coalesce(max(seq) + 1, 0) AS next FROM job_log_chunk WHERE job_id = ${input.jobId}),
    log_new AS (
      SELECT * FROM unnest(${logs.map((c) => c.seq)}::int[], ${logs.map((c) => c.stream)}::text[],
        ${logs.map((c) => c.data)}::bytea[]) AS c(seq, stream, data)
    ),
    log_fits AS (
      SELECT min(seq) = (SELECT next FROM log_end) AND max(seq) - min(seq) + 1 = count(*) AS ok FROM log_new
    ),`
    : sql``;
  const logged = withLogs
    ? sql`logged AS (
      INSERT INTO job_log_chunk (job_id, seq, stream, data, created_at)
      SELECT done.id, n.seq, n.stream, n.data, ${now}::timestamptz FROM done, log_new n
      ON CONFLICT (job_id, seq) DO NOTHING
      RETURNING seq
    ),`
    : sql``;
  // The logs' event before the job's: a follower that stops at the job's end has its last lines.
  const loggedColumns = withLogs
    ? sql`(SELECT count(*)::int FROM logged) AS logged,
      (SELECT CASE WHEN count(*) > 0 AND ${input.channel ?? null}::text IS NOT NULL THEN pg_notify(${input.channel ?? null}::text,
        json_build_object('topic', 'logs', 'jobId', ${input.jobId}::uuid, 'fromSeq', min(seq), 'toSeq', max(seq))::text) END
       FROM logged) AS logs_notified,`
    : sql`0 AS logged,`;
  const { rows } = await sql<
    Selectable<Job> & ReportColumns & { notified: unknown; logs_notified?: unknown; logged: number }
  >`${sql.raw(PREPARED)}
    WITH ${logCtes} done AS (
      UPDATE job SET
        status = CASE WHEN ${settles} THEN (CASE WHEN ${failed} THEN 'FAILED' ELSE 'PROCESSED' END) ELSE 'COMPLETED' END,
        exit_code = ${input.exitCode}, finished_at = ${now},
        failure_reason = CASE WHEN ${settles} AND ${failed} THEN 'NONZERO_EXIT' END,
        failure_message = CASE WHEN ${settles} AND ${failed} THEN ${nonzeroExitMessage(input.exitCode)}::text END,
        processed_at = CASE WHEN ${settles} THEN ${now}::timestamptz END,
        billed_minutes = CASE WHEN started_at IS NULL THEN 0 ELSE ${billedMinutesSql('job', now)} END,
        ${noiseColumnsIfGiven(input.noise ?? null)}
      WHERE id = ${input.jobId} AND runner_id = ${input.runnerId} AND status = 'RUNNING'${withLogs ? sql` AND (SELECT ok FROM log_fits)` : sql``}
      RETURNING *
    ),
    stored AS (
      INSERT INTO job_output (job_id, iteration, exit_code, files, stdout, created_at)
      SELECT done.id, o.iteration, o.exit_code, o.files::jsonb, o.stdout, ${now}::timestamptz
      FROM done, unnest(${outputs.map((o) => o.iteration)}::int[], ${outputs.map((o) => o.exitCode)}::int[],
        ${outputs.map((o) => JSON.stringify(o.files ?? {}))}::text[], ${outputs.map((o) => o.stdout)}::text[])
        AS o(iteration, exit_code, files, stdout)
      ON CONFLICT (job_id, iteration) DO NOTHING
    ),
    billed AS (${recordUsageFrom('done', now)}),
    ${logged}
    runner_noise AS (${runnerNoiseUpdate(input.noise ?? null, input.runnerId, now, 'done')})
    SELECT done.*, ${loggedColumns} ${notifyJobEvent(input.channel, 'done')} AS notified, report.adapter AS report_adapter,
      report.average AS report_average, report.fold AS report_fold
    FROM done JOIN report ON report.id = done.report_id
  `.execute(trx);
  if (!rows[0]) return undefined;
  const {
    notified: _,
    logs_notified: __,
    logged: count,
    report_adapter,
    report_average,
    report_fold,
    ...job
  } = rows[0];
  return {
    job,
    parse: { adapter: report_adapter, average: report_average, fold: report_fold },
    logged: count,
  };
}

interface ReportColumns {
  report_adapter: string;
  report_average: string;
  report_fold: string | null;
}
