import { Box, Text } from 'ink';
import { alertLines } from '../output/alerts.js';
import type { RunResults } from '../run/types.js';

export function AlertList({ results }: { results: RunResults }) {
  const alerts = alertLines(results);
  if (!alerts.length) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text color="red" bold>
        {alerts.length} alert{alerts.length > 1 ? 's' : ''}
      </Text>
      {alerts.map((a) => (
        <Box key={a.id} flexDirection="column">
          <Text color="red">⚠ {a.text}</Text>
          <Text dimColor> {a.url}</Text>
        </Box>
      ))}
    </Box>
  );
}
