import type { Logger } from 'pino';
import type {
  NoiseInput,
  RunnerAppendJobLogsMutation,
  RunnerAppendJobLogsMutationVariables,
  RunnerClaimJobMutation,
  RunnerClaimJobMutationVariables,
  RunnerCompleteJobMutation,
  RunnerCompleteJobMutationVariables,
  RunnerCompleteJobWithLogsMutation,
  RunnerCompleteJobWithLogsMutationVariables,
  RunnerFailJobMutation,
  RunnerFailJobMutationVariables,
  RunnerHeartbeatJobMutation,
  RunnerHeartbeatJobMutationVariables,
  RunnerReportPreflightMutation,
  RunnerReportPreflightMutationVariables,
  RunnerStartJobMutation,
  RunnerStartJobMutationVariables,
} from '../gql/graphql.js';
import { RUNNER_DOCUMENT_IDS } from './document-ids.js';
import type { LogChunk } from './log-shipper.js';
import {
  APPEND_JOB_LOGS,
  CLAIM_JOB,
  type ClaimedJob,
  COMPLETE_JOB,
  COMPLETE_JOB_WITH_LOGS,
  FAIL_JOB,
  HEARTBEAT_JOB,
  type JobOutputInput,
  REPORT_PREFLIGHT,
  type RunnerFailureReason,
  START_JOB,
  toClaimedJob,
} from './operations.js';
import { sleep } from './sleep.js';
import {
  fetchTransport,
  type RunnerTransport,
  type TransportResponse,
  transportFailure,
  undiciTransport,
} from './transport.js';

/** A typed answer from the API (NOT_FOUND, CONFLICT, LOG_GAP, …): retrying the same call cannot help. */
export class RunnerApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
    /** The field that failed, e.g. `['appendJobLogs']`, when the server said. */
    readonly path: readonly (string | number)[] = [],
  ) {
    super(message);
    this.name = 'RunnerApiError';
  }
}

/**
 * The completion's log batch was refused (a gap, a bad chunk), not its result: the caller may
 * complete without the batch. Older servers ran the batch as an `appendJobLogs` field of its own.
 */
export function isRefusedLogBatch(error: unknown): boolean {
  return (
    error instanceof RunnerApiError &&
    (error.extensions.argument === 'logs' || error.path[0] === 'appendJobLogs')
  );
}

/** The noise probe sent with a result was refused (out of range): the result may go without it. */
export function isRefusedNoise(error: unknown): boolean {
  return (
    error instanceof RunnerApiError &&
    error.code === 'BAD_INPUT' &&
    String(error.extensions.field ?? '').startsWith('noise')
  );
}

/** The server could not be reached or answered 5xx/429/a timeout; the same call may succeed later. */
export class TransientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** The server's Retry-After: the next attempt waits at least this long. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

/** The caller's signal ended the retries; `lastError` says what kept failing. */
export class CallAbortedError extends Error {
  constructor(
    readonly operation: string,
    readonly lastError: unknown,
  ) {
    super(
      `${operation} abandoned${lastError ? `; last error: ${(lastError as Error).message ?? String(lastError)}` : ''}`,
    );
    this.name = 'CallAbortedError';
  }
}

export interface RunnerClientOptions {
  serverUrl: string;
  key: string;
  /** How calls travel (default: an undici Pool of keep-alive connections). The client owns it: close() closes it. */
  transport?: RunnerTransport;
  /** Send calls through this `fetch` instead (tests); ignored when `transport` is given. */
  fetch?: typeof fetch;
  log?: Logger;
  /**
   * Send the runner's documents by id (persisted operations: the server skips parsing and
   * validating them) rather than as text. Default true; a server that does not know an id is
   * sent the document, and one that knows no ids at all is not asked by id again.
   */
  persistedOperations?: boolean;
  /** Per attempt, for every call but claimJob (default 15 s). */
  callTimeoutMs?: number;
  initialRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  random?: () => number;
}

export interface CallOptions {
  /** Ends the retries (and the attempt in flight); the call then rejects with CallAbortedError. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Attempts before the transient error is thrown (default: until the signal aborts). */
  attempts?: number;
}

// Codes that mean "not now" rather than "no": the server was overloaded, restarting or out of connections.
// INTERNAL is what the server answers while its database is down or restarting (see maskError).
const RETRYABLE_CODES = new Set(['RATE_LIMITED', 'INTERNAL', 'INTERNAL_SERVER_ERROR', 'UNAVAILABLE']);

/**
 * The server refuses text holding U+0000 (PostgreSQL cannot store it). A workload's stdout or a
 * binary file named in filePaths brings NULs along; they are the workload's bytes, not a request
 * error, so they travel as U+FFFD and parsing reports the junk.
 */
const NUL = /\u0000/g;
const withoutNul = (text: string) => (text.includes('\u0000') ? text.replace(NUL, '\uFFFD') : text);
export const storableOutputs = (outputs: JobOutputInput[]): JobOutputInput[] =>
  outputs.map((output) => ({
    ...output,
    stdout: withoutNul(output.stdout),
    files: Object.fromEntries(Object.entries(output.files).map(([p, c]) => [withoutNul(p), withoutNul(c)])),
  }));

const wireChunks = (chunks: LogChunk[]) =>
  chunks.map((c) => ({ stream: c.stream, seq: c.seq, data: c.data.toString('base64') }));

interface GraphqlErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * The runner's side of the runner API. Every mutation is idempotent on the server, so a call whose
 * answer was lost is simply sent again: network errors, timeouts and 5xx are retried with exponential
 * backoff and jitter until acknowledged or until the caller's signal gives up; typed errors are final.
 */
export class RunnerClient {
  readonly serverUrl: string;
  readonly #transport: RunnerTransport;
  readonly #headers: Record<string, string>;
  #closed = false;
  /** Whether to send documents by id; off once the server has shown it takes none. */
  #persisted: boolean;
  /** Documents whose id this server did not know: sent as text from then on. */
  readonly #unknownIds = new Set<string>();
  readonly #log: Logger | undefined;
  readonly #callTimeoutMs: number;
  readonly #initialDelay: number;
  readonly #maxDelay: number;
  readonly #random: () => number;

  constructor(options: RunnerClientOptions) {
    this.serverUrl = options.serverUrl.replace(/\/+$/, '');
    this.#log = options.log;
    this.#callTimeoutMs = options.callTimeoutMs ?? 15_000;
    const graphqlUrl = `${this.serverUrl}/graphql`;
    this.#transport =
      options.transport ??
      (options.fetch
        ? fetchTransport(graphqlUrl, options.fetch)
        : undiciTransport(graphqlUrl, { connectTimeoutMs: Math.min(10_000, this.#callTimeoutMs) }));
    this.#headers = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${options.key}`,
    };
    this.#initialDelay = options.initialRetryDelayMs ?? 200;
    this.#maxDelay = options.maxRetryDelayMs ?? 5_000;
    this.#random = options.random ?? Math.random;
    this.#persisted = options.persistedOperations ?? true;
  }

  /**
   * Long-polls for a job; null when none came within `waitSeconds`. With `start` the job comes
   * back already started (`ClaimedJob.started`): the runner's startJob, its first act after a
   * claim, rides on the claim.
   */
  async claimJob(
    specs: string[] | undefined,
    waitSeconds: number,
    options: CallOptions & { start?: boolean } = {},
  ): Promise<ClaimedJob | null> {
    const { start, ...call } = options;
    const data = await this.request<RunnerClaimJobMutation, RunnerClaimJobMutationVariables>(
      'claimJob',
      CLAIM_JOB,
      { specs: specs?.length ? specs : null, waitSeconds, start: start ?? false },
      { timeoutMs: waitSeconds * 1000 + this.#callTimeoutMs, ...call },
    );
    return data.claimJob ? toClaimedJob(data.claimJob) : null;
  }

  /** `noise`: the probe measured just before the job, stored with it. */
  async startJob(jobId: string, options: CallOptions & { noise?: NoiseInput | null } = {}): Promise<void> {
    const { noise, ...callOptions } = options;
    await this.request<RunnerStartJobMutation, RunnerStartJobMutationVariables>(
      'startJob',
      START_JOB,
      { jobId, noise: noise ?? null },
      callOptions,
    );
  }

  /** The runner's start-up report (preflight checks, tuning knobs), kept as its Runner.preflight. */
  async reportPreflight(
    report: RunnerReportPreflightMutationVariables,
    options: CallOptions = {},
  ): Promise<void> {
    await this.request<RunnerReportPreflightMutation, RunnerReportPreflightMutationVariables>(
      'reportPreflight',
      REPORT_PREFLIGHT,
      report,
      options,
    );
  }

  async appendJobLogs(jobId: string, chunks: LogChunk[], options: CallOptions = {}): Promise<void> {
    await this.request<RunnerAppendJobLogsMutation, RunnerAppendJobLogsMutationVariables>(
      'appendJobLogs',
      APPEND_JOB_LOGS,
      { jobId, chunks: wireChunks(chunks) },
      options,
    );
  }

  /** With `waitSeconds` the server holds the answer until a cancel arrives or the wait ends. */
  async heartbeatJob(
    jobId: string,
    options: CallOptions & { waitSeconds?: number } = {},
  ): Promise<{ cancel: boolean }> {
    const { waitSeconds, ...call } = options;
    const data = await this.request<RunnerHeartbeatJobMutation, RunnerHeartbeatJobMutationVariables>(
      'heartbeatJob',
      HEARTBEAT_JOB,
      { jobId, waitSeconds },
      call,
    );
    return { cancel: Boolean(data.heartbeatJob?.cancel) };
  }

  /**
   * With `logs` (the job's last log batch), the batch travels in the same request, ahead of the
   * completion: a short job's output costs no request of its own. A refused batch
   * (`isRefusedLogBatch`) stops the completion too. `noise`: the probe taken before a job
   * the claim started (it had no startJob to ride on).
   */
  async completeJob(
    jobId: string,
    exitCode: number,
    outputs: JobOutputInput[],
    options: CallOptions & { logs?: LogChunk[] | null; noise?: NoiseInput | null } = {},
  ): Promise<{ status: string }> {
    const { logs, noise: probe, ...call } = options;
    const noise = probe ?? null;
    outputs = storableOutputs(outputs);
    // The server answers after processing the outputs into metrics, which can take a while.
    const timed = { timeoutMs: Math.max(60_000, this.#callTimeoutMs), ...call };
    const data = logs?.length
      ? await this.request<RunnerCompleteJobWithLogsMutation, RunnerCompleteJobWithLogsMutationVariables>(
          'completeJob',
          COMPLETE_JOB_WITH_LOGS,
          { jobId, chunks: wireChunks(logs), exitCode, outputs, noise },
          timed,
        )
      : await this.request<RunnerCompleteJobMutation, RunnerCompleteJobMutationVariables>(
          'completeJob',
          COMPLETE_JOB,
          { jobId, exitCode, outputs, noise },
          timed,
        );
    // PROCESSED, or FAILED when the results could not be used (NONZERO_EXIT, PROCESSING_ERROR).
    return { status: data.completeJob.status };
  }

  async failJob(
    jobId: string,
    reason: RunnerFailureReason,
    message: string,
    options: CallOptions & { noise?: NoiseInput | null } = {},
  ): Promise<void> {
    const { noise, ...call } = options;
    await this.request<RunnerFailJobMutation, RunnerFailJobMutationVariables>(
      'failJob',
      FAIL_JOB,
      { jobId, reason, message: message.slice(0, 4000), noise: noise ?? null },
      call,
    );
  }

  /**
   * Closes the connections (after the calls in flight, which their callers' signals should have ended).
   * Calls made after this fail at once.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#transport.close();
  }

  /** One operation, retried while the failure is transient. */
  async request<T, V extends Record<string, unknown> = Record<string, unknown>>(
    operation: string,
    query: string,
    variables: V,
    options: CallOptions = {},
  ): Promise<T> {
    const attempts = options.attempts ?? Number.POSITIVE_INFINITY;
    let lastError: unknown;
    for (let attempt = 1; ; attempt++) {
      if (options.signal?.aborted) throw new CallAbortedError(operation, lastError);
      if (this.#closed) throw new Error(`${operation}: the runner client was closed`);
      try {
        return await this.#once<T>(
          query,
          variables,
          options.timeoutMs ?? this.#callTimeoutMs,
          options.signal,
        );
      } catch (error) {
        if (options.signal?.aborted) throw new CallAbortedError(operation, lastError ?? error);
        if (!(error instanceof TransientError)) throw error;
        lastError = error;
        if (attempt >= attempts) throw error;
        const ceiling = Math.min(this.#maxDelay, this.#initialDelay * 2 ** Math.min(attempt - 1, 30));
        // Equal jitter: a fleet of runners coming back after an outage does not retry in lockstep.
        // A server that said when to come back (429 + Retry-After) is not asked again sooner.
        const asked = (error.retryAfterSeconds ?? 0) * 1000;
        const delay = Math.max(asked, ceiling / 2 + (this.#random() * ceiling) / 2);
        if (attempt === 1 || attempt % 10 === 0) {
          this.#log?.warn(
            { operation, attempt, err: error.message, retryInMs: Math.round(delay) },
            'retrying',
          );
        }
        await sleep(delay, options.signal);
      }
    }
  }

  async #once<T>(
    query: string,
    variables: Record<string, unknown>,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const id = this.#persisted ? RUNNER_DOCUMENT_IDS.get(query) : undefined;
    if (id !== undefined && !this.#unknownIds.has(id)) {
      try {
        return await this.#attempt<T>(
          JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: id } } }),
          timeoutMs,
          signal,
        );
      } catch (error) {
        const unknown = unknownId(error);
        if (!unknown) throw error;
        // Another build's server (its documents differ), or one that takes no ids at all.
        if (unknown === 'no ids') this.#persisted = false;
        else this.#unknownIds.add(id);
        this.#log?.info(
          { err: (error as Error).message },
          'the server does not know this document by id; sending it',
        );
      }
    }
    return this.#attempt<T>(JSON.stringify({ query, variables }), timeoutMs, signal);
  }

  async #attempt<T>(request: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<T> {
    let response: TransportResponse;
    try {
      response = await this.#transport.post({ headers: this.#headers, body: request, timeoutMs, signal });
    } catch (error) {
      // A transport of the caller's own may throw anything; its reason must still read.
      const reason = transportFailure(error, timeoutMs, timeoutMs).reason;
      throw new TransientError(`cannot reach ${this.serverUrl}: ${reason}`);
    }
    const text = response.text;
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      throw new TransientError(
        `${this.serverUrl} answered HTTP ${response.status}`,
        response.status,
        response.retryAfterSeconds,
      );
    }
    let body: { data?: T | null; errors?: GraphqlErrorEntry[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new RunnerApiError(
        'BAD_RESPONSE',
        `${this.serverUrl}/graphql answered HTTP ${response.status} with something that is not GraphQL; is the server URL right?`,
      );
    }
    const errors = body.errors ?? [];
    if (errors.length > 0) {
      const first = errors[0];
      const code = first.extensions?.code ?? 'UNKNOWN';
      if (RETRYABLE_CODES.has(code)) throw new TransientError(`${code}: ${first.message}`, response.status);
      throw new RunnerApiError(code, first.message, first.extensions ?? {}, first.path ?? []);
    }
    if (body.data === undefined || body.data === null) {
      throw new TransientError(`HTTP ${response.status} with neither data nor errors`, response.status);
    }
    return body.data;
  }
}

/**
 * Whether an answer to a call by id says the server does not know the id: this server's documents
 * differ ('unknown id'), or the server takes no ids and asked for the document ('no ids').
 */
function unknownId(error: unknown): 'unknown id' | 'no ids' | null {
  if (!(error instanceof RunnerApiError) || error.path.length > 0) return null;
  if (error.code === 'PERSISTED_QUERY_NOT_FOUND') return 'unknown id';
  if (/must provide query string|persisted/i.test(error.message)) return 'no ids';
  return null;
}
