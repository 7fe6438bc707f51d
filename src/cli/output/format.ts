import type { ResultRow } from '../run/types.js';
import { fitTable, fittedLines } from './fit-table.js';

const numbers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : numbers.format(value);
}

export function formatChange(change: number | null): string {
  if (change === null) return '-';
  return `${change > 0 ? '+' : ''}${change.toFixed(2)}%`;
}

export function alertMark(row: ResultRow, ascii = false): string {
  if (!row.alert) return '';
  const side = row.alert.side === 'UPPER' ? 'upper' : 'lower';
  const verdict = verdictText(row.alert);
  if (row.alert.verdict === 'CLEARED') return verdict;
  const mark = ascii ? `ALERT(${side})` : `⚠ ${side}`;
  return verdict ? `${mark} ${verdict}` : mark;
}

/**
 * An alert's verdict with, once decided, the confirmed change and its interval:
 * `CONFIRMED +4.9% [+3.1%, +6.8%]`, `cleared +0.2% [-1.0%, +1.5%]`.
 */
export function verdictText(alert: NonNullable<ResultRow['alert']>): string {
  if (!alert.verdict) return '';
  const word = alert.verdict === 'CLEARED' ? 'cleared' : alert.verdict;
  const e = alert.evidence;
  if (!e || e.changePercent === null) return word;
  const bound = (v: number | null) => (v === null ? '?' : formatChange(v));
  return `${word} ${formatChange(e.changePercent)} [${bound(e.lowerPercent)}, ${bound(e.upperPercent)}]`;
}

/** An alert that still counts: not cleared by its confirmation (what --err and the counts look at). */
export function isActiveAlert(alert: ResultRow['alert']): boolean {
  return alert !== null && alert.verdict !== 'CLEARED';
}

export const RESULT_HEADERS = ['Benchmark', 'Measure', 'Value', 'Baseline', 'Δ%', 'Lower', 'Upper', 'Alert'];

/** The table cells of one result, the same in every output mode. */
export function resultCells(row: ResultRow, ascii = false): string[] {
  return [
    row.benchmark,
    row.units ? `${row.measure} (${shortUnits(row.units)})` : row.measure,
    formatNumber(row.value),
    formatNumber(row.baseline),
    formatChange(row.change),
    formatNumber(row.lowerLimit),
    formatNumber(row.upperLimit),
    alertMark(row, ascii),
  ];
}

/** Measures carry units like "nanoseconds (ns)"; a table column has room for the "ns". */
export function shortUnits(units: string): string {
  return /\(([^()]+)\)\s*$/.exec(units)?.[1] ?? units;
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function textTable(headers: string[], rows: string[][], rightAligned: number[] = []): string[] {
  const columns = headers.map((header, i) => ({
    header,
    cells: rows.map((r) => r[i] ?? ''),
    right: rightAligned.includes(i),
  }));
  return fittedLines(fitTable(columns));
}

/** Several iterations of the same benchmark are told apart by a suffix. */
export function benchmarkLabel(row: ResultRow, iterations: number): string {
  return iterations > 1 ? `${row.benchmark} #${row.iteration + 1}` : row.benchmark;
}

export function iterationCount(rows: ResultRow[]): number {
  return new Set(rows.map((r) => r.iteration)).size;
}
