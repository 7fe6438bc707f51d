import { Box, Text, useStdout } from 'ink';
import { pad } from '../output/fit-table.js';
import { isActiveAlert } from '../output/format.js';
import { COLUMN, fitResultsTable } from '../output/results-table.js';
import type { ResultRow } from '../run/types.js';

/** The results fitted to the terminal's width (a row never wraps); `width` overrides it (tests). */
export function ResultsTable({ rows, width }: { rows: ResultRow[]; width?: number }) {
  const { stdout } = useStdout();
  if (!rows.length)
    return <Text color="yellow">No results: the adapter found no benchmarks in the output.</Text>;
  // One cell short of the edge: a line exactly as wide as the terminal wraps in some of them.
  const columns = fitResultsTable(rows, (width ?? (stdout.columns || 80)) - 1);
  const color = (row: ResultRow, index: number) => {
    if (index === COLUMN.history) return 'cyan';
    if ((index === COLUMN.alert || index === COLUMN.change) && row.alert)
      return isActiveAlert(row.alert) ? 'red' : 'green';
    return undefined;
  };
  return (
    <Box flexDirection="column">
      <Box gap={2}>
        {columns.map((c) => (
          <Text key={c.index} bold>
            {pad(c.header, c.width, c.right)}
          </Text>
        ))}
      </Box>
      {rows.map((row, r) => (
        <Box key={`${row.iteration}/${row.benchmarkId}/${row.measureId}`} gap={2}>
          {columns.map((c) => (
            <Text key={c.index} color={color(row, c.index)} wrap="truncate-end">
              {pad(c.cells[r], c.width, c.right)}
            </Text>
          ))}
        </Box>
      ))}
    </Box>
  );
}
