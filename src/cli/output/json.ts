import type { RunSummary } from '../run/execute.js';
import type { LogStream } from '../run/types.js';
import { alertLines } from './alerts.js';

export interface JsonDocument {
  outcome: RunSummary['outcome'];
  message: string | null;
  reportId: string | null;
  jobId: string | null;
  job: RunSummary['job'];
  url: string | null;
  results: NonNullable<RunSummary['results']>['rows'];
  alerts: Array<{ id: string; text: string; url: string; verdict: string | null; active: boolean }>;
  /** The job that confirmed (or is confirming) the alerts. */
  confirmation: NonNullable<RunSummary['results']>['confirmation'] | null;
  logs: Array<{ stream: LogStream; text: string }>;
}

/** `--format json`: everything in one document on stdout, for scripts; progress goes nowhere. */
export function jsonDocument(
  summary: RunSummary,
  logs: Array<{ stream: LogStream; text: string }> = [],
): JsonDocument {
  return {
    outcome: summary.outcome,
    message: summary.message ?? null,
    reportId: summary.reportId,
    jobId: summary.jobId,
    job: summary.job,
    url: summary.results?.url ?? null,
    results: summary.results?.rows ?? [],
    alerts: summary.results ? alertLines(summary.results) : [],
    confirmation: summary.results?.confirmation ?? null,
    logs,
  };
}

export function printJson(
  document: unknown,
  write: (text: string) => void = (t) => process.stdout.write(t),
): void {
  write(`${JSON.stringify(document, null, 2)}\n`);
}
