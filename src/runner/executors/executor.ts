/** A job's spec limits; how each is enforced depends on the host (enforcement.ts, docs/security.md). */
export interface ResourceLimits {
  /** Cores to pin the workload to (never core 0 when the host has more than one). */
  cpus?: number;
  /** Resident memory of all the job's processes together. */
  memoryBytes?: number;
  /** Bytes the job may allocate in its writable places (/tmp, the working directory). */
  diskBytes?: number;
  /** Processes and threads the job may have at once. */
  maxProcesses?: number;
}

export type LimitReason = 'OUT_OF_MEMORY' | 'DISK_LIMIT' | 'PROCESS_LIMIT';

/** The run went over one of its limits and was stopped (or refused by the kernel) for it. */
export interface LimitExceeded {
  reason: LimitReason;
  message: string;
}

export interface RunOptions {
  rootfs: string;
  argv: string[];
  env: Record<string, string>;
  workingDir: string;
  user?: string;
  network: boolean;
  timeoutMs: number;
  limits?: ResourceLimits;
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  /** Aborting cancels the run; the process tree is killed within a second. */
  signal?: AbortSignal;
}

export interface RunStatus {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  canceled: boolean;
  durationMs: number;
  /** Set when the run ended because it went over a limit: its result is no benchmark result. */
  limitExceeded?: LimitExceeded;
}

export interface FileLimits {
  maxFiles?: number;
  maxFileBytes?: number;
  /** All the files together, measured before reading and again as JSON-encoded once read. */
  maxTotalBytes?: number;
}

export const DEFAULT_FILE_LIMITS = { maxFiles: 255, maxFileBytes: 25 * 1024 * 1024 } as const;

export interface RunResult extends RunStatus {
  /**
   * Reads files the workload left behind, by their path inside the sandbox (relative paths from its
   * working directory), as UTF-8.
   */
  readFiles(paths: string[], limits?: FileLimits): Promise<Record<string, string>>;
  /** Removes the run's scratch space; call after reading files. */
  dispose(): Promise<void>;
}

export interface Executor {
  readonly name: string;
  run(options: RunOptions): Promise<RunResult>;
}

export type OutputFileErrorReason =
  | 'TOO_MANY_FILES'
  | 'FILE_TOO_LARGE'
  | 'TOO_LARGE'
  | 'NOT_FOUND'
  | 'NOT_A_FILE'
  | 'BAD_PATH';

export class OutputFileError extends Error {
  readonly code = 'OUTPUT_FILE_ERROR' as const;
  constructor(
    readonly reason: OutputFileErrorReason,
    readonly path: string | undefined,
    message: string,
    /** For TOO_LARGE: the bytes found when the total went over. */
    readonly bytes?: number,
  ) {
    super(message);
    this.name = 'OutputFileError';
  }
}

/** The executor itself failed (could not start, bad user, …), as opposed to the workload failing. */
export class ExecutorError extends Error {
  readonly code = 'EXECUTOR_ERROR' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExecutorError';
  }
}
