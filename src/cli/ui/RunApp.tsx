import { useInput, useStdin } from 'ink';
import { useState, useSyncExternalStore } from 'react';
import { RunView } from './RunView.js';
import type { RunStore } from './store.js';

export interface RunAppProps {
  store: RunStore;
  /** Stop a local command, or stop following the job and leave it running. */
  onStop: () => void;
  onCancelJob: (jobId: string) => void;
}

/** The live `benchline run` screen; Ctrl-C asks before canceling a job on a runner. */
export function RunApp({ store, onStop, onCancelJob }: RunAppProps) {
  const state = useSyncExternalStore(store.subscribe, store.get);
  const [prompt, setPrompt] = useState<string | null>(null);
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      const ctrlC = key.ctrl && input === 'c';
      if (prompt) {
        setPrompt(null);
        if (ctrlC) onStop();
        else if (input.toLowerCase() === 'y' && state.jobId) onCancelJob(state.jobId);
        return;
      }
      if (!ctrlC || state.outcome !== null) return;
      if (state.jobId) setPrompt(`Cancel job ${state.jobId}? (y/N) · Ctrl-C again leaves it running`);
      else onStop();
    },
    { isActive: Boolean(isRawModeSupported) },
  );
  return <RunView state={state} prompt={prompt} />;
}
