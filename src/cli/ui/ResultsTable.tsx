import { Box, Text } from 'ink';
import {
  benchmarkLabel,
  isActiveAlert,
  iterationCount,
  RESULT_HEADERS,
  resultCells,
} from '../output/format.js';
import type { ResultRow } from '../run/types.js';
import { Sparkline } from './Sparkline.js';

const RIGHT = new Set([2, 3, 4, 5, 6]);

export function ResultsTable({ rows }: { rows: ResultRow[] }) {
  if (!rows.length)
    return <Text color="yellow">No results: the adapter found no benchmarks in the output.</Text>;
  const iterations = iterationCount(rows);
  const cells = rows.map((row) => {
    const c = resultCells(row);
    c[0] = benchmarkLabel(row, iterations);
    return c;
  });
  const widths = RESULT_HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const pad = (text: string, i: number) => (RIGHT.has(i) ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const withHistory = rows.some((r) => r.history.length > 1);
  return (
    <Box flexDirection="column">
      <Box gap={2}>
        {RESULT_HEADERS.map((h, i) => (
          <Text key={h} bold>
            {pad(h, i)}
          </Text>
        ))}
        {withHistory && <Text bold>History</Text>}
      </Box>
      {rows.map((row, r) => (
        <Box key={`${row.iteration}/${row.benchmarkId}/${row.measureId}`} gap={2}>
          {cells[r].map((cell, i) => (
            <Text
              key={RESULT_HEADERS[i]}
              color={
                (i === 7 || i === 4) && row.alert ? (isActiveAlert(row.alert) ? 'red' : 'green') : undefined
              }
            >
              {pad(cell, i)}
            </Text>
          ))}
          {withHistory && <Sparkline values={row.history} />}
        </Box>
      ))}
    </Box>
  );
}
