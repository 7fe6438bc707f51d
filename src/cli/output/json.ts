import type { ErrorDocument } from '../errors.js';
import type { RunSummary } from '../run/execute.js';
import type { LogStream, ResultRow } from '../run/types.js';
import { alertLines } from './alerts.js';

/**
 * A result's alert in JSON. Built here only, so a field (a verdict, confirmation evidence) is
 * added once for every place that prints one.
 */
export interface JsonAlert {
  id: string;
  side: 'LOWER' | 'UPPER';
  /** The limit the value crossed. */
  limit: number | null;
}

/** One metric of a run, as scripts read it. */
export interface JsonResult {
  iteration: number;
  benchmark: { name: string; slug: string };
  measure: { name: string; slug: string; units: string };
  value: number;
  lowerValue: number | null;
  upperValue: number | null;
  baseline: number | null;
  lowerLimit: number | null;
  upperLimit: number | null;
  /** Percent change from the baseline. */
  change: number | null;
  alert: JsonAlert | null;
}

export interface JsonDocument {
  outcome: RunSummary['outcome'];
  message: string | null;
  /** Set when the run did not succeed: the same shape as any other command's error. */
  error: ErrorDocument['error'] | null;
  reportId: string | null;
  jobId: string | null;
  job: RunSummary['job'];
  /** The report's page; known as soon as the run is submitted (a detached run has it too). */
  url: string | null;
  results: JsonResult[];
  /** How quiet the runner was just before the job (its noise probe); null when unknown. */
  noise: NonNullable<RunSummary['results']>['noise'];
  alerts: Array<{ id: string; text: string; url: string }>;
  logs: Array<{ stream: LogStream; text: string }>;
}

export function jsonAlert(row: ResultRow): JsonAlert | null {
  if (!row.alert) return null;
  return { id: row.alert.id, side: row.alert.side, limit: row.alert.limit };
}

export function jsonResult(row: ResultRow): JsonResult {
  return {
    iteration: row.iteration,
    benchmark: { name: row.benchmark, slug: row.benchmarkSlug },
    measure: { name: row.measure, slug: row.measureSlug, units: row.units },
    value: row.value,
    lowerValue: row.lowerValue,
    upperValue: row.upperValue,
    baseline: row.baseline,
    lowerLimit: row.lowerLimit,
    upperLimit: row.upperLimit,
    change: row.change,
    alert: jsonAlert(row),
  };
}

/** Error codes of a run that did not succeed, for scripts that branch on them. */
const OUTCOME_CODES: Partial<Record<RunSummary['outcome'], string>> = {
  failed: 'RUN_FAILED',
  canceled: 'RUN_CANCELED',
};

/** `--format json`: everything in one document on stdout, for scripts; progress goes nowhere. */
export function jsonDocument(
  summary: RunSummary,
  logs: Array<{ stream: LogStream; text: string }> = [],
  options: { url?: string | null; error?: ErrorDocument['error'] | null } = {},
): JsonDocument {
  const code = OUTCOME_CODES[summary.outcome];
  const hint = summary.jobId ? `see the job's output with \`benchline job logs ${summary.jobId}\`` : null;
  return {
    outcome: summary.outcome,
    message: summary.message ?? null,
    error: options.error ?? (code ? { code, message: summary.message ?? summary.outcome, hint } : null),
    reportId: summary.reportId,
    jobId: summary.jobId,
    job: summary.job,
    url: summary.results?.url ?? options.url ?? null,
    results: (summary.results?.rows ?? []).map(jsonResult),
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
