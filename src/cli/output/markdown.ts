import type { RunSummary } from '../run/execute.js';
import type { ResultRow, Verdict } from '../run/types.js';
import { type AlertLine, alertLines } from './alerts.js';
import {
  benchmarkLabel,
  isActiveAlert,
  iterationCount,
  RESULT_HEADERS,
  resultCells,
  verdictText,
} from './format.js';
import { noiseLine } from './plain.js';

export interface MarkdownContext {
  summary: RunSummary;
  project: string;
  /** The report in the console, when the run got that far. */
  reportUrl: string | null;
  /** The job in the console, for a run on a runner. */
  jobUrl: string | null;
  /** --err was given: an alert nothing cleared fails the run. */
  err: boolean;
}

const RIGHT = new Set([2, 3, 4, 5, 6]);

/**
 * `--format markdown`: a pull-request-ready report (a step summary, a PR comment): the verdict first,
 * then the results with baselines, changes, limits and alert verdicts, the alerts, and console links.
 */
export function markdownReport(context: MarkdownContext): string {
  const { summary, project } = context;
  const lines = [`## Benchline · ${escapeText(project)}`, '', `**${headline(context)}**`, ''];
  const rows = summary.results?.rows ?? [];
  if (summary.results && rows.length) {
    lines.push(...markdownTable(rows), '');
    const alerts = alertLines(summary.results);
    if (alerts.length) {
      lines.push('### Alerts', '');
      for (const alert of alerts) lines.push(`- ${alertIcon(alert)} ${escapeText(alert.text)}`);
      lines.push('');
    }
    if (summary.results.noise) lines.push(`<sub>${escapeText(noiseLine(summary.results.noise))}</sub>`, '');
  } else if (summary.results) {
    lines.push('No results: the adapter found no benchmarks in the output.', '');
  }
  const links = [
    context.reportUrl && `[report](${context.reportUrl})`,
    context.jobUrl && `[job](${context.jobUrl})`,
  ].filter(Boolean);
  if (links.length) lines.push(`Console: ${links.join(' · ')}`, '');
  return lines.join('\n');
}

function headline({ summary, err }: MarkdownContext): string {
  if (summary.outcome === 'failed' || summary.outcome === 'canceled') {
    return `❌ ${summary.message ?? `the run ${summary.outcome === 'failed' ? 'failed' : 'was canceled'}`}`;
  }
  if (summary.outcome === 'detached') return `⏳ ${summary.message ?? `job ${summary.jobId} submitted`}`;
  const alerts = summary.results ? alertLines(summary.results) : [];
  const active = alerts.filter((a) => a.active);
  if (!active.length) {
    const cleared = alerts.length ? ` (${alerts.length} cleared by confirmation)` : '';
    return `✅ no regressions${cleared}`;
  }
  const verdicts = countBy(active.map((a) => a.verdict ?? 'unconfirmed'));
  const which = Object.entries(verdicts)
    .map(([verdict, n]) => `${n} ${verdict}`)
    .join(', ');
  const gate = err ? ': the run fails (--err)' : '';
  return `${active.some(failsHard) ? '🚨' : '⚠️'} ${active.length} alert${active.length === 1 ? '' : 's'} (${which})${gate}`;
}

/** The results as a GitHub table: numbers right-aligned, an alert's verdict in its row. */
export function markdownTable(rows: ResultRow[]): string[] {
  const iterations = iterationCount(rows);
  const cell = (text: string) => (text === '' ? ' ' : escapeText(text));
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [
    line(RESULT_HEADERS),
    `|${RESULT_HEADERS.map((_, i) => (RIGHT.has(i) ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => {
      const cells = resultCells(row);
      cells[0] = benchmarkLabel(row, iterations);
      cells[7] = alertCell(row);
      return line(cells);
    }),
  ];
}

/**
 * GitHub Actions workflow commands for the alerts: `::error` for a CONFIRMED regression and for any
 * alert that fails the run (--err), `::warning` for one not established (UNCONFIRMABLE, a failed or
 * unfinished confirmation, no confirmation), nothing for one its confirmation cleared.
 */
export function annotations(summary: RunSummary, err: boolean, reportUrl: string | null): string[] {
  const out: string[] = [];
  if (summary.outcome === 'failed' || summary.outcome === 'canceled') {
    out.push(
      `::error title=Benchline run ${summary.outcome}::${escapeData(summary.message ?? summary.outcome)}`,
    );
  }
  for (const alert of summary.results ? alertLines(summary.results) : []) {
    if (!alert.active) continue;
    const level = err || failsHard(alert) ? 'error' : 'warning';
    const title = `Benchline alert${alert.verdict ? ` (${alert.verdict})` : ''}`;
    const where = reportUrl ? ` · ${reportUrl}` : '';
    out.push(`::${level} title=${escapeProperty(title)}::${escapeData(alert.text + where)}`);
  }
  return out;
}

/** The alert's side and verdict behind an icon: `⚠️ upper UNCONFIRMABLE`, `✅ upper cleared +0.2% […]`. */
function alertCell(row: ResultRow): string {
  if (!row.alert) return '';
  const icon = alertIcon({ active: isActiveAlert(row.alert), verdict: row.alert.verdict ?? null });
  const verdict = verdictText(row.alert);
  return `${icon} ${row.alert.side === 'UPPER' ? 'upper' : 'lower'}${verdict ? ` ${verdict}` : ''}`;
}

function failsHard(alert: Pick<AlertLine, 'verdict'>): boolean {
  return alert.verdict === 'CONFIRMED';
}

function alertIcon(alert: { active: boolean; verdict: Verdict | string | null }): string {
  if (!alert.active) return '✅';
  return failsHard(alert) ? '🚨' : '⚠️';
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** Text a benchmark chose (its name) must not turn into markup or break the table. */
function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replaceAll('\n', ' ');
}

/** A workflow command's message: %, CR and LF are encoded (GitHub's own toolkit does the same). */
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
