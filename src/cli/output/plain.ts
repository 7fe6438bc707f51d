import { LineSplitter } from '../run/lines.js';
import { formatElapsed, phaseLabel } from '../run/phases.js';
import type { RunEvent, RunNoise, RunResults } from '../run/types.js';
import { alertLines } from './alerts.js';
import { fittedLines } from './fit-table.js';
import { fitResultsTable } from './results-table.js';

export interface PlainOptions {
  /** Leave out the benchmark's own output. */
  quiet?: boolean;
  /** The terminal's width, when there is one: the results table fits it. */
  width?: number;
}

/**
 * Line-by-line output for CI logs and pipes: no cursor movement, one line per status change,
 * each log line prefixed by its stream, then the results table.
 */
export function createPlainRenderer(write: (line: string) => void, options: PlainOptions = {}) {
  const splitter = new LineSplitter();
  let startedAt: number | null = null;
  let jobId: string | null = null;
  const stamp = (at: number) => {
    startedAt ??= at;
    return `[${formatElapsed(at - startedAt).padStart(7)}]`;
  };
  const logLine = (stream: string, line: string) =>
    write(`${stream === 'STDERR' ? 'stderr' : 'stdout'} | ${line}`);

  return (event: RunEvent): void => {
    const label = phaseLabel(event);
    if (label) write(`${stamp(event.at)} ${label}`);
    switch (event.type) {
      case 'submitted':
        jobId = event.jobId;
        write(`${stamp(event.at)} report ${event.reportId}${event.jobId ? `, job ${event.jobId}` : ''}`);
        break;
      case 'log':
        if (!options.quiet)
          for (const line of splitter.push(event.stream, event.text)) logLine(event.stream, line);
        break;
      case 'notice':
        write(`${stamp(event.at)} ${event.text}`);
        break;
      case 'results':
        for (const line of resultsLines(event.results, options.width)) write(line);
        break;
      case 'done':
        if (!options.quiet) for (const { stream, line } of splitter.flush()) logLine(stream, line);
        // The failure once, after the job's last output (which the log stream delivers after the
        // status that ended it), so the stderr that explains it is read first.
        if (event.outcome === 'detached') write(`${stamp(event.at)} ${detachedText(jobId, event.message)}`);
        else if (event.outcome !== 'ok') write(`${stamp(event.at)} ${event.message ?? event.outcome}`);
        else write(`${stamp(event.at)} done`);
        break;
    }
  };
}

/** A job left running, on purpose: where to follow it. */
export function detachedText(jobId: string | null, message?: string | null): string {
  const what = message ?? (jobId ? `detached: job ${jobId} submitted` : 'detached');
  return jobId ? `${what}; follow it with \`benchline job logs --follow ${jobId}\`` : what;
}

/** The runner's noise probe in one line, so a number can be read against how quiet its runner was. */
export function noiseLine(noise: RunNoise): string {
  const parts = [`probe CV ${noise.cvPct.toFixed(2)}%`];
  if (noise.stealPct !== null) parts.push(`steal ${noise.stealPct.toFixed(1)}%`);
  if (noise.load !== null) parts.push(`load ${noise.load.toFixed(2)}`);
  if (noise.truncated) parts.push('probe cut short by its cap (a loaded host)');
  parts.push(noise.tuning.length ? `tuned: ${noise.tuning.join(', ')}` : 'untuned');
  return `Runner noise: ${parts.join(', ')}`;
}

export function resultsLines(results: RunResults, width?: number): string[] {
  if (!results.rows.length)
    return ['', 'No results: the adapter found no benchmarks in the output.', `Report: ${results.url}`];
  const lines = ['', ...fittedLines(fitResultsTable(results.rows, width, true))];
  const alerts = alertLines(results);
  if (alerts.length) {
    const active = alerts.filter((a) => a.active).length;
    const cleared = alerts.length - active;
    lines.push(
      '',
      `${active} alert${active === 1 ? '' : 's'}${cleared ? ` (${cleared} cleared by confirmation)` : ''}:`,
    );
    for (const alert of alerts) lines.push(`  ${alert.active ? 'ALERT' : 'CLEARED'} ${alert.text}`);
  }
  if (results.noise) lines.push('', noiseLine(results.noise));
  if (results.historyNote) lines.push('', results.historyNote);
  lines.push('', `Report: ${results.url}`);
  return lines;
}
