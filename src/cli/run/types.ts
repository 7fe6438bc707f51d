/** Everything `benchline run` shows flows through these events: Ink, plain and JSON render the same stream. */

export type JobStatus = 'PENDING' | 'CLAIMED' | 'RUNNING' | 'COMPLETED' | 'PROCESSED' | 'FAILED' | 'CANCELED';
export type LogStream = 'STDOUT' | 'STDERR';
export type Outcome = 'ok' | 'failed' | 'canceled' | 'detached';

export interface ResultRow {
  iteration: number;
  benchmark: string;
  benchmarkSlug: string;
  benchmarkId: string;
  measure: string;
  measureSlug: string;
  measureId: string;
  units: string;
  value: number;
  lowerValue: number | null;
  upperValue: number | null;
  baseline: number | null;
  lowerLimit: number | null;
  upperLimit: number | null;
  /** Percent change from the baseline. */
  change: number | null;
  alert: RowAlert | null;
  /** Recent values of this series, oldest first, for the sparkline. */
  history: number[];
}

/** How quiet the runner was just before the job (its noise probe). */
export interface RunNoise {
  cvPct: number;
  stealPct: number | null;
  load: number | null;
  involuntaryContextSwitches: number | null;
  probeMs: number | null;
  /** The probe's wall-clock cap cut it short (a loaded host). */
  truncated: boolean;
  tuning: string[];
}

export type Verdict =
  | 'SUSPECTED'
  | 'CONFIRMING'
  | 'CONFIRMED'
  | 'CLEARED'
  | 'UNCONFIRMABLE'
  | 'CONFIRMATION_FAILED';

/** What the confirmation found: both arms' values per round, the test and the estimated change. */
export interface Evidence {
  test: string;
  pValue: number | null;
  adjustedPValue: number | null;
  changePercent: number | null;
  lowerPercent: number | null;
  upperPercent: number | null;
  rounds: number;
  head: Array<number | null>;
  base: Array<number | null>;
  baseDigest: string;
}

export interface RowAlert {
  id: string;
  side: 'LOWER' | 'UPPER';
  limit: number | null;
  /** Absent from servers without confirmation. */
  verdict?: Verdict;
  evidence?: Evidence | null;
}

export interface RunResults {
  reportId: string;
  project: string;
  url: string;
  rows: ResultRow[];
  error: string | null;
  /** The runner's noise probe; null for a local run or a runner that sent none. */
  noise: RunNoise | null;
  /** The job confirming the report's alerts, once queued. */
  confirmation?: { id: string; status: JobStatus; rounds: number | null } | null;
  /** Why the history sparklines are missing (the perf request failed); absent when they are shown. */
  historyNote?: string;
}

export type RunEvent =
  | { type: 'submitting'; at: number }
  | { type: 'submitted'; at: number; reportId: string; jobId: string | null }
  | { type: 'local-iteration'; at: number; index: number; total: number; command: string }
  | {
      type: 'status';
      at: number;
      status: JobStatus;
      runner?: string | null;
      exitCode?: number | null;
      failureReason?: string | null;
      failureMessage?: string | null;
      /** While queued: the tier's limit and how much of it is busy. */
      slots?: TierSlots | null;
    }
  | { type: 'log'; at: number; stream: LogStream; text: string }
  | { type: 'notice'; at: number; text: string }
  | { type: 'results'; at: number; results: RunResults }
  | { type: 'confirming'; at: number; jobId: string; alerts: number; rounds: number | null }
  | { type: 'done'; at: number; outcome: Outcome; message?: string };

export interface TierSlots {
  tier: string;
  limit: number | null;
  busy: number;
}

export type Emit = (event: RunEvent) => void;

export const TERMINAL: ReadonlySet<JobStatus> = new Set(['PROCESSED', 'FAILED', 'CANCELED']);
