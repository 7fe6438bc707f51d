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
  /** How quiet the runner was just before the job (its noise probe); null when unknown. */
  noise: NonNullable<RunSummary['results']>['noise'];
  alerts: Array<{ id: string; text: string; url: string }>;
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
    noise: summary.results?.noise ?? null,
    alerts: summary.results ? alertLines(summary.results) : [],
    logs,
  };
}

export function printJson(
  document: unknown,
  write: (text: string) => void = (t) => process.stdout.write(t),
): void {
  write(`${JSON.stringify(document, null, 2)}\n`);
}
