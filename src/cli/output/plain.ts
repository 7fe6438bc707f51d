import { LineSplitter } from '../run/lines.js';
import { formatElapsed, phaseLabel } from '../run/phases.js';
import type { RunEvent, RunNoise, RunResults } from '../run/types.js';
import { alertLines } from './alerts.js';
import { benchmarkLabel, iterationCount, RESULT_HEADERS, resultCells, textTable } from './format.js';
import { sparkline } from './sparkline.js';

export interface PlainOptions {
  /** Leave out the benchmark's own output. */
  quiet?: boolean;
}

/**
 * Line-by-line output for CI logs and pipes: no cursor movement, one line per status change,
 * each log line prefixed by its stream, then the results table.
 */
export function createPlainRenderer(write: (line: string) => void, options: PlainOptions = {}) {
  const splitter = new LineSplitter();
  let startedAt: number | null = null;
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
        write(`${stamp(event.at)} report ${event.reportId}${event.jobId ? `, job ${event.jobId}` : ''}`);
        break;
      case 'status':
        if (event.status === 'FAILED' || event.status === 'CANCELED') {
          const why = [event.failureReason, event.failureMessage].filter(Boolean).join(': ');
          write(`${stamp(event.at)} ${event.status.toLowerCase()}${why ? ` (${why})` : ''}`);
        }
        break;
      case 'log':
        if (!options.quiet)
          for (const line of splitter.push(event.stream, event.text)) logLine(event.stream, line);
        break;
      case 'notice':
        write(`${stamp(event.at)} ${event.text}`);
        break;
      case 'results':
        for (const line of resultsLines(event.results)) write(line);
        break;
      case 'done':
        if (!options.quiet) for (const { stream, line } of splitter.flush()) logLine(stream, line);
        if (event.outcome === 'detached')
          write(`${stamp(event.at)} detached; follow it with \`benchline job view\``);
        else if (event.outcome !== 'ok') write(`${stamp(event.at)} ${event.message ?? event.outcome}`);
        else write(`${stamp(event.at)} done`);
        break;
    }
  };
}

/** The runner's noise probe in one line, so a number can be read against how quiet its runner was. */
export function noiseLine(noise: RunNoise): string {
  const parts = [`probe CV ${noise.cvPct.toFixed(2)}%`];
  if (noise.stealPct !== null) parts.push(`steal ${noise.stealPct.toFixed(1)}%`);
  if (noise.load !== null) parts.push(`load ${noise.load.toFixed(2)}`);
  parts.push(noise.tuning.length ? `tuned: ${noise.tuning.join(', ')}` : 'untuned');
  return `Runner noise: ${parts.join(', ')}`;
}

export function resultsLines(results: RunResults): string[] {
  if (!results.rows.length)
    return ['', 'No results: the adapter found no benchmarks in the output.', `Report: ${results.url}`];
  const iterations = iterationCount(results.rows);
  const withHistory = results.rows.some((r) => r.history.length > 1);
  const headers = withHistory ? [...RESULT_HEADERS, 'History'] : RESULT_HEADERS;
  const rows = results.rows.map((row) => {
    const cells = resultCells(row, true);
    cells[0] = benchmarkLabel(row, iterations);
    return withHistory ? [...cells, sparkline(row.history)] : cells;
  });
  const lines = ['', ...textTable(headers, rows, [2, 3, 4, 5, 6])];
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
