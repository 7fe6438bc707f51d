import type { Job } from '../api/types.js';
import { formatDuration, formatTime } from '../format.js';
import { useNow } from '../hooks/use-now.js';

type State = 'done' | 'current' | 'todo' | 'failed';

interface Step {
  label: string;
  at: string | null;
  state: State;
}

// Each state has its own mark and words, not only its colour.
const marks: Record<State, string> = { done: '✓', current: '●', todo: '', failed: '✕' };
const words: Record<State, string> = { done: 'done', current: 'now', todo: 'not yet', failed: 'ended' };

function steps(job: Job): Step[] {
  const failed = job.status === 'FAILED' || job.status === 'CANCELED';
  const list: Step[] = [
    { label: 'Queued', at: job.createdAt, state: 'done' },
    { label: 'Claimed', at: job.claimedAt, state: job.claimedAt ? 'done' : 'todo' },
    { label: 'Running', at: job.startedAt, state: job.startedAt ? 'done' : 'todo' },
  ];
  if (failed)
    list.push({
      label: job.status === 'CANCELED' ? 'Canceled' : 'Failed',
      at: job.finishedAt,
      state: 'failed',
    });
  else {
    list.push({ label: 'Completed', at: job.finishedAt, state: job.finishedAt ? 'done' : 'todo' });
    list.push({ label: 'Processed', at: job.processedAt, state: job.processedAt ? 'done' : 'todo' });
  }
  // The first step not reached yet is where the job is now.
  const next = list.findIndex((s) => s.state === 'todo');
  if (next > 0 && !failed) list[next - 1].state = 'current';
  return list;
}

export function StatusTimeline({ job }: { job: Job }) {
  const now = useNow(!!job.startedAt && !job.finishedAt);
  return (
    <div className="timeline-wrap">
      <ol className="timeline" data-testid="timeline" aria-label="Progress">
        {steps(job).map((step) => (
          <li
            key={step.label}
            className={`step ${step.state}`}
            data-testid="timeline-step"
            data-state={step.state}
            aria-current={step.state === 'current' ? 'step' : undefined}
          >
            <span className="dot" aria-hidden="true">
              {marks[step.state]}
            </span>
            <span className="step-label">
              {step.label}
              <span className="sr-only"> ({words[step.state]})</span>
            </span>
            <span className="muted step-time">{step.at ? formatTime(step.at) : ''}</span>
          </li>
        ))}
      </ol>
      <p className="step-summary muted">
        {job.startedAt
          ? `${job.finishedAt ? 'ran' : 'running for'} ${formatDuration(job.startedAt, job.finishedAt, now)}`
          : ''}
      </p>
    </div>
  );
}
