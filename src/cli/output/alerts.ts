import type { ResultRow, RunResults } from '../run/types.js';
import { formatChange, formatNumber, isActiveAlert, shortUnits, verdictText } from './format.js';

export interface AlertLine {
  id: string;
  text: string;
  url: string;
  verdict: string | null;
  /** False for an alert its confirmation cleared. */
  active: boolean;
}

/** One sentence per alert: which series, which limit it crossed, and by how much. */
export function alertLines(results: RunResults): AlertLine[] {
  return results.rows
    .filter((row): row is ResultRow & { alert: NonNullable<ResultRow['alert']> } => row.alert !== null)
    .map((row) => {
      const upper = row.alert.side === 'UPPER';
      const limit = upper ? row.upperLimit : row.lowerLimit;
      const units = row.units ? ` ${shortUnits(row.units)}` : '';
      return {
        id: row.alert.id,
        text:
          `${row.benchmark} · ${row.measure}: ${formatNumber(row.value)}${units} is ` +
          `${upper ? 'above the upper' : 'below the lower'} limit ${formatNumber(limit)}${units}` +
          (row.change !== null ? ` (${formatChange(row.change)} from baseline)` : '') +
          (row.alert.verdict ? ` · ${verdictText(row.alert)}` : ''),
        url: results.url,
        verdict: row.alert.verdict ?? null,
        active: isActiveAlert(row.alert),
      };
    });
}
