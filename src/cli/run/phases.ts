import type { RunEvent, TierSlots } from './types.js';

/** The label of the phase an event starts, or null when the event does not start one. */
export function phaseLabel(event: RunEvent): string | null {
  switch (event.type) {
    case 'local-iteration': {
      const command = clip(event.command.replaceAll('\n', ' '), 60);
      return event.total > 1
        ? `running ${command} (${event.index + 1}/${event.total})`
        : `running ${command}`;
    }
    case 'submitting':
      return 'submitting run';
    case 'confirming':
      return confirmingLabel(event.alerts, null, event.rounds);
    case 'submitted':
      return event.jobId ? null : 'fetching results';
    case 'status':
      switch (event.status) {
        case 'PENDING':
          return queuedLabel(event.slots ?? null);
        case 'CLAIMED':
          return event.runner ? `claimed by runner ${event.runner}` : 'claimed by a runner';
        case 'RUNNING':
          return event.runner ? `running on ${event.runner}` : 'running';
        case 'COMPLETED':
          return 'processing results';
        case 'PROCESSED':
          return 'fetching results';
        default:
          return null;
      }
    default:
      return null;
  }
}

/**
 * Where a queued job stands: its tier's limit when that is what holds it (`queued: 1 of 1 FREE slots
 * busy`), else the tier beside the wait for a runner, so a user sees which of the two to fix.
 */
export function queuedLabel(slots: TierSlots | null): string {
  if (!slots) return 'queued, waiting for a runner';
  if (slots.limit === null) return `queued, waiting for a runner (${slots.tier}: no limit on jobs in flight)`;
  const usage = `${slots.busy} of ${slots.limit} ${slots.tier} slots busy`;
  return slots.busy >= slots.limit ? `queued: ${usage}` : `queued, waiting for a runner (${usage})`;
}

/** `confirming 2 alerts · round 3/5 · arm base`, as the confirmation's log says which round runs. */
export function confirmingLabel(alerts: number, step: string | null, rounds: number | null): string {
  const what = `confirming ${alerts} alert${alerts === 1 ? '' : 's'}`;
  if (step) return `${what} · ${step}`;
  return rounds ? `${what} · ${rounds} rounds, waiting for a runner` : what;
}

/** The runner's marker line before each round and arm of a confirmation (src/runner/run-plan.ts). */
export const ROUND_MARKER = /^── (round \d+\/\d+ · arm [\w-]+)(?: · iteration \d+\/\d+)? ──$/;

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export function formatElapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
