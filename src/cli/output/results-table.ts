import type { ResultRow } from '../run/types.js';
import { type FitStep, type FittedColumn, fitTable } from './fit-table.js';
import { benchmarkLabel, iterationCount, RESULT_HEADERS, resultCells } from './format.js';
import { sparkline } from './sparkline.js';

/** Column indexes of RESULT_HEADERS, and History after them. */
export const COLUMN = { benchmark: 0, measure: 1, change: 4, lower: 5, upper: 6, alert: 7, history: 8 };

const RIGHT = new Set([2, 3, 4, 5, 6]);
/** How far a column may be cut: names and the alert verdict (repeated in full in the alert list). */
const MIN: Record<number, number> = { [COLUMN.benchmark]: 12, [COLUMN.measure]: 8, [COLUMN.alert]: 9 };
/** The alert's verdict gives its room first (the alert list repeats it), then the name, then the measure. */
const CUT: Record<number, number> = { [COLUMN.alert]: 1, [COLUMN.benchmark]: 2, [COLUMN.measure]: 3 };
const DROP: Record<number, number> = { [COLUMN.history]: 1, [COLUMN.lower]: 2, [COLUMN.upper]: 2 };
/** The sparkline goes before any name is cut; the limits only when cutting is not enough. */
const STEPS: FitStep[] = [{ drop: 1 }, 'cut', { drop: 2 }];

/**
 * The results table fitted to `width` terminal cells, the same in Ink and plain mode: names are cut
 * with an ellipsis and the history column dropped before a row would break across lines.
 */
export function fitResultsTable(rows: ResultRow[], width: number | undefined, ascii = false): FittedColumn[] {
  const iterations = iterationCount(rows);
  const cells = rows.map((row) => {
    const c = resultCells(row, ascii);
    c[COLUMN.benchmark] = benchmarkLabel(row, iterations);
    return c;
  });
  const headers = rows.some((r) => r.history.length > 1) ? [...RESULT_HEADERS, 'History'] : RESULT_HEADERS;
  return fitTable(
    headers.map((header, i) => ({
      header,
      cells: i === COLUMN.history ? rows.map((r) => sparkline(r.history)) : cells.map((c) => c[i]),
      right: RIGHT.has(i),
      min: MIN[i],
      cut: CUT[i],
      drop: DROP[i],
    })),
    width,
    STEPS,
  );
}
