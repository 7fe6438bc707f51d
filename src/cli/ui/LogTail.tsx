import { Box, Text } from 'ink';
import type { LogLine } from '../run/state.js';

/** The last `height` lines of the job's output, stderr in yellow, cut to the terminal width. */
export function LogTail({ lines, height = 8 }: { lines: LogLine[]; height?: number }) {
  if (!lines.length) return null;
  const tail = lines.slice(-height);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="gray" paddingX={1}>
      {tail.map((l) => (
        <Text key={l.id} color={l.stream === 'STDERR' ? 'yellow' : undefined} wrap="truncate-end">
          {l.line || ' '}
        </Text>
      ))}
    </Box>
  );
}
