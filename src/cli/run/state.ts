import type { LineSplitter } from './lines.js';
import { confirmingLabel, phaseLabel, ROUND_MARKER } from './phases.js';
import type { LogStream, Outcome, RunEvent, RunResults } from './types.js';

export interface Phase {
  id: number;
  label: string;
  startedAt: number;
  endedAt: number | null;
  state: 'active' | 'done' | 'failed';
}

export interface LogLine {
  id: number;
  stream: LogStream;
  line: string;
}

export interface RunState {
  phases: Phase[];
  logs: LogLine[];
  notices: string[];
  reportId: string | null;
  jobId: string | null;
  results: RunResults | null;
  outcome: Outcome | null;
  message: string | null;
  /** While a confirmation runs: how many alerts and rounds (its phase's label follows the rounds). */
  confirming: { alerts: number; rounds: number | null } | null;
}

export const MAX_LOG_LINES = 500;

export function initialRunState(): RunState {
  return {
    phases: [],
    logs: [],
    notices: [],
    reportId: null,
    jobId: null,
    results: null,
    outcome: null,
    message: null,
    confirming: null,
  };
}

/** Folds run events into what the screen shows. The splitter holds partial lines between events. */
export function reduceRun(state: RunState, event: RunEvent, splitter: LineSplitter): RunState {
  const label = phaseLabel(event);
  let next = state;
  if (label) next = startPhase(next, label, event.at);
  switch (event.type) {
    case 'submitted':
      return { ...next, reportId: event.reportId, jobId: event.jobId };
    case 'status':
      if (event.status === 'FAILED' || event.status === 'CANCELED') return endPhase(next, event.at, 'failed');
      return next;
    case 'confirming':
      return { ...next, confirming: { alerts: event.alerts, rounds: event.rounds } };
    case 'log': {
      const lines = splitter.push(event.stream, event.text).map((line) => ({ stream: event.stream, line }));
      return confirmingStep(appendLogs(next, lines), lines);
    }
    case 'notice':
      return { ...next, notices: [...next.notices.slice(-4), event.text] };
    case 'results':
      return { ...endPhase(next, event.at, 'done'), results: event.results };
    case 'done': {
      const ended = endPhase(
        appendLogs(next, splitter.flush()),
        event.at,
        // Detaching (asked for, or leaving the job running on Ctrl-C) is not a failure.
        event.outcome === 'ok' || event.outcome === 'detached' ? 'done' : 'failed',
      );
      return { ...ended, outcome: event.outcome, message: event.message ?? null };
    }
    default:
      return next;
  }
}

/** A confirmation's marker line names the round and arm now running: the phase line says so. */
function confirmingStep(state: RunState, lines: Array<{ line: string }>): RunState {
  if (!state.confirming) return state;
  const marker = lines.map((l) => ROUND_MARKER.exec(l.line)).findLast(Boolean);
  const last = state.phases.at(-1);
  if (!marker || last?.state !== 'active') return state;
  const label = confirmingLabel(state.confirming.alerts, marker[1], state.confirming.rounds);
  return { ...state, phases: [...state.phases.slice(0, -1), { ...last, label }] };
}

function startPhase(state: RunState, label: string, at: number): RunState {
  const ended = endPhase(state, at, 'done');
  const id = ended.phases.length;
  return {
    ...ended,
    phases: [...ended.phases, { id, label, startedAt: at, endedAt: null, state: 'active' }],
  };
}

function endPhase(state: RunState, at: number, result: 'done' | 'failed'): RunState {
  const last = state.phases.at(-1);
  if (last?.state !== 'active') return state;
  return { ...state, phases: [...state.phases.slice(0, -1), { ...last, endedAt: at, state: result }] };
}

function appendLogs(state: RunState, lines: Array<{ stream: LogStream; line: string }>): RunState {
  if (!lines.length) return state;
  const firstId = (state.logs.at(-1)?.id ?? -1) + 1;
  const added = lines.map((l, i) => ({ id: firstId + i, ...l }));
  return { ...state, logs: [...state.logs, ...added].slice(-MAX_LOG_LINES) };
}
