import type { ApiClient } from '../api/client.js';
import type { Connection } from '../api/config.js';
import { CreateRunMutation } from '../api/documents/run.js';
import { isActiveAlert } from '../output/format.js';
import type { RunPlan } from './args.js';
import { runLocally } from './local.js';
import { type JobStatusUpdate, type WatchOptions, watchJob } from './remote.js';
import { fetchResults } from './results.js';
import {
  type Emit,
  type JobStatus,
  type Outcome,
  type RunResults,
  TERMINAL,
  type TierSlots,
} from './types.js';

export interface ExecuteDeps {
  client: ApiClient;
  connection: Connection;
  emit: Emit;
  signal?: AbortSignal;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  subscription?: WatchOptions['subscription'];
}

export interface RunSummary {
  outcome: Outcome;
  reportId: string | null;
  jobId: string | null;
  results: RunResults | null;
  job: JobStatusUpdate | null;
  message?: string;
}

interface CreateRunData {
  createRun: {
    report: { id: string };
    job: { id: string; status: string; slots?: TierSlots | null } | null;
  };
}

/** The whole of `benchline run`, as events: run or submit, follow the job, fetch the results. */
export async function executeRun(plan: RunPlan, deps: ExecuteDeps): Promise<RunSummary> {
  const { client, emit } = deps;
  let results: string[] | undefined;
  if (plan.local) {
    results = await runLocally({
      command: plan.local,
      iterations: plan.iterations,
      file: plan.localFiles[0],
      emit,
      signal: deps.signal,
      cwd: deps.cwd,
      env: deps.env,
    });
  }

  emit({ type: 'submitting', at: Date.now() });
  const input = { ...plan.input, ...(results && { results }) };
  const { createRun } = (await client.request(CreateRunMutation, { input } as never)) as CreateRunData;
  const reportId = createRun.report.id;
  const jobId = createRun.job?.id ?? null;
  emit({ type: 'submitted', at: Date.now(), reportId, jobId });
  const summary: RunSummary = { outcome: 'ok', reportId, jobId, results: null, job: null };
  let early: Promise<RunResults> | null = null;

  if (jobId) {
    const initialStatus = createRun.job!.status as JobStatus;
    emit({ type: 'status', at: Date.now(), status: initialStatus, slots: createRun.job!.slots ?? null });
    if (plan.detach) return finish(emit, { ...summary, outcome: 'detached' });
    const job = await watchJob({
      connection: deps.connection,
      jobId,
      emit,
      signal: deps.signal,
      subscription: deps.subscription,
      initialStatus,
      // The results are read while the log stream catches up, not after it.
      onEnd: (update) => {
        if (update.status !== 'PROCESSED') return;
        early = fetchResults(client, reportId);
        early.catch(() => {});
      },
    });
    summary.job = job;
    if (deps.signal?.aborted && !TERMINAL.has(job.status)) {
      return finish(emit, { ...summary, outcome: 'detached', message: `left job ${jobId} running` });
    }
    if (job.status === 'CANCELED') {
      return finish(emit, {
        ...summary,
        outcome: 'canceled',
        message: failureText(job, 'the job was canceled'),
      });
    }
    if (job.status === 'FAILED') {
      return finish(emit, { ...summary, outcome: 'failed', message: failureText(job, 'the job failed') });
    }
  }

  summary.results = await (early ?? fetchResults(client, reportId));
  if (jobId && !deps.signal?.aborted) summary.results = await followConfirmation(summary.results, deps);
  emit({ type: 'results', at: Date.now(), results: summary.results });
  if (summary.results.error) {
    return finish(emit, {
      ...summary,
      outcome: 'failed',
      message: `processing failed: ${summary.results.error}`,
    });
  }
  return finish(emit, summary);
}

/**
 * The run raised alerts and the server queued their confirmation: stay until it ends (its log in the
 * tail, the round in the phase line), then read the results again with the verdicts.
 */
async function followConfirmation(results: RunResults, deps: ExecuteDeps): Promise<RunResults> {
  const confirmation = results.confirmation;
  const waiting = results.rows.filter(
    (r) => r.alert?.verdict === 'SUSPECTED' || r.alert?.verdict === 'CONFIRMING',
  );
  if (!confirmation || waiting.length === 0) return results;
  deps.emit({
    type: 'confirming',
    at: Date.now(),
    jobId: confirmation.id,
    alerts: waiting.length,
    rounds: confirmation.rounds,
  });
  if (!TERMINAL.has(confirmation.status)) {
    await watchJob({
      connection: deps.connection,
      jobId: confirmation.id,
      // The confirmation's own status changes would start phases of their own; its phase is "confirming".
      emit: (event) => event.type !== 'status' && deps.emit(event),
      signal: deps.signal,
      subscription: deps.subscription,
      initialStatus: confirmation.status,
    });
  }
  return fetchResults(deps.client, results.reportId);
}

/**
 * 0 on success; 1 for a failed or canceled job, or, when --err asks for it, for an alert that was
 * not cleared: CONFIRMED, UNCONFIRMABLE, a failed or unfinished confirmation (nothing cleared it).
 */
export function exitCodeFor(summary: RunSummary, err: boolean): number {
  if (summary.outcome === 'failed' || summary.outcome === 'canceled') return 1;
  if (err && alertCount(summary.results) > 0) return 1;
  return 0;
}

/** Alerts that count: those a confirmation did not clear. */
export function alertCount(results: RunResults | null): number {
  return results?.rows.filter((r) => isActiveAlert(r.alert)).length ?? 0;
}

function finish(emit: Emit, summary: RunSummary): RunSummary {
  emit({ type: 'done', at: Date.now(), outcome: summary.outcome, message: summary.message });
  return summary;
}

function failureText(job: JobStatusUpdate, fallback: string): string {
  const parts = [job.failureReason, job.failureMessage].filter(Boolean);
  const exit = job.exitCode !== null && job.exitCode !== undefined ? ` (exit code ${job.exitCode})` : '';
  return (parts.length ? `${fallback}: ${parts.join(': ')}` : fallback) + exit;
}
