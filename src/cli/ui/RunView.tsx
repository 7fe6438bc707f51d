import { Box, Static, Text } from 'ink';
import { detachedText } from '../output/plain.js';
import type { RunState } from '../run/state.js';
import { AlertList } from './AlertList.js';
import { LogTail } from './LogTail.js';
import { PhaseLine } from './PhaseLine.js';
import { ResultsTable } from './ResultsTable.js';
import { useNow } from './use-now.js';

export interface RunViewProps {
  state: RunState;
  /** A question for the user (the cancel prompt), shown in the footer. */
  prompt?: string | null;
  logHeight?: number;
  /** Freezes the clock (tests). */
  now?: number;
}

/** Finished phases go to <Static> and stay in the scrollback; the live box redraws below them. */
export function RunView({ state, prompt, logHeight = 8, now: fixedNow }: RunViewProps) {
  const now = useNow(fixedNow);
  const finished = state.phases.filter((p) => p.state !== 'active');
  const active = state.phases.find((p) => p.state === 'active');
  const running = state.outcome === null;
  return (
    <Box flexDirection="column">
      <Static items={finished}>{(phase) => <PhaseLine key={phase.id} phase={phase} now={now} />}</Static>
      {active && <PhaseLine phase={active} now={now} />}
      {(running || state.outcome === 'failed' || state.outcome === 'canceled') && (
        <LogTail lines={state.logs} height={logHeight} />
      )}
      {state.notices.length > 0 && running && <Text dimColor>{state.notices.at(-1)}</Text>}
      {state.results && (
        <Box flexDirection="column" marginTop={1}>
          <ResultsTable rows={state.results.rows} />
          <AlertList results={state.results} />
          <Text dimColor>Report: {state.results.url}</Text>
        </Box>
      )}
      <Footer state={state} prompt={prompt} />
    </Box>
  );
}

function Footer({ state, prompt }: { state: RunState; prompt?: string | null }) {
  if (prompt) return <Text color="yellow">{prompt}</Text>;
  if (state.outcome === 'failed' || state.outcome === 'canceled') {
    return <Text color="red">✘ {state.message ?? state.outcome}</Text>;
  }
  if (state.outcome === 'detached') return <Text>{detachedText(state.jobId, state.message)}</Text>;
  if (state.outcome === 'ok') return null;
  return (
    <Text dimColor>
      {state.jobId ? `job ${state.jobId} · ` : ''}Ctrl-C to {state.jobId ? 'cancel or leave' : 'stop'}
    </Text>
  );
}
