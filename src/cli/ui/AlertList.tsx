import { Box, Text } from 'ink';
import { alertLines } from '../output/alerts.js';
import type { RunResults } from '../run/types.js';

export function AlertList({ results }: { results: RunResults }) {
  const alerts = alertLines(results);
  if (!alerts.length) return null;
  const active = alerts.filter((a) => a.active).length;
  const cleared = alerts.length - active;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text color={active ? 'red' : 'green'} bold>
        {active} alert{active === 1 ? '' : 's'}
        {cleared ? ` (${cleared} cleared by confirmation)` : ''}
      </Text>
      {alerts.map((a) => (
        <Box key={a.id} flexDirection="column">
          <Text color={a.active ? 'red' : 'green'}>
            {a.active ? '⚠' : '✓'} {a.text}
          </Text>
          <Text dimColor> {a.url}</Text>
        </Box>
      ))}
    </Box>
  );
}
