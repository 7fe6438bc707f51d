import { Box, Text } from 'ink';
import { formatElapsed } from '../run/phases.js';
import type { Phase } from '../run/state.js';
import { Spinner } from './Spinner.js';

export function PhaseLine({ phase, now }: { phase: Phase; now: number }) {
  const elapsed = formatElapsed((phase.endedAt ?? now) - phase.startedAt);
  return (
    <Box gap={1}>
      {phase.state === 'active' ? (
        <Spinner />
      ) : phase.state === 'done' ? (
        <Text color="green">✔</Text>
      ) : (
        <Text color="red">✘</Text>
      )}
      <Text bold={phase.state === 'active'}>{phase.label}</Text>
      <Text dimColor>{elapsed}</Text>
    </Box>
  );
}
