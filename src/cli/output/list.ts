import { textTable } from './format.js';
import { printJson } from './json.js';

export interface Column<T> {
  header: string;
  get: (row: T) => string | number | boolean | null | undefined;
  right?: boolean;
}

/** Lists print as an aligned table, or as a JSON array with --format json. */
export function printList<T>(
  rows: T[],
  columns: Array<Column<T>>,
  format = 'human',
  empty = 'Nothing yet.',
): void {
  if (format === 'json') {
    printJson(rows);
    return;
  }
  if (!rows.length) {
    console.log(empty);
    return;
  }
  const cells = rows.map((row) => columns.map((c) => cellText(c.get(row))));
  const right = columns.flatMap((c, i) => (c.right ? [i] : []));
  for (const line of textTable(
    columns.map((c) => c.header),
    cells,
    right,
  ))
    console.log(line);
}

/** A single record as `key: value` lines, or JSON. */
export function printRecord(record: Record<string, unknown>, format = 'human'): void {
  if (format === 'json') {
    printJson(record);
    return;
  }
  const width = Math.max(...Object.keys(record).map((k) => k.length));
  for (const [key, value] of Object.entries(record))
    console.log(`${`${key}:`.padEnd(width + 1)} ${cellText(value)}`);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.join(', ') || '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function nodes<T>(connection: { edges: Array<{ node: T }> }): T[] {
  return connection.edges.map((e) => e.node);
}
