import type { ApiClient } from '../api/client.js';
import type { Connection } from '../api/config.js';
import { CancelJobMutation } from '../api/documents/job.js';
import { JobLogsSubscription, JobStatusSubscription } from '../api/documents/job-stream.js';
import { resilientSubscription, type SubscriptionOptions } from '../api/subscriptions.js';
import { type Emit, type JobStatus, type LogStream, TERMINAL } from './types.js';

export interface JobStatusUpdate {
  id: string;
  status: JobStatus;
  exitCode?: number | null;
  failureReason?: string | null;
  failureMessage?: string | null;
  runner?: { name: string; slug?: string } | null;
}

export interface LogChunk {
  seq: number;
  stream: LogStream;
  /** The bytes in base64. */
  data: string;
}

export interface WatchOptions {
  connection: Connection;
  jobId: string;
  emit: Emit;
  signal?: AbortSignal;
  subscription?: Pick<SubscriptionOptions, 'makeClient' | 'attempts'>;
  /** The status createRun answered, already shown: the subscription's first event repeats it. */
  initialStatus?: JobStatus;
  /** How long to let the log stream catch up after the job ended. */
  drainMs?: number;
  /** Called with the job's final status as it arrives, before the log stream has caught up. */
  onEnd?: (update: JobStatusUpdate) => void;
}

/** Follows a job until it ends; returns its last status. Logs arrive as events meanwhile. */
export async function watchJob(options: WatchOptions): Promise<JobStatusUpdate> {
  const { connection, jobId, emit } = options;
  const logsAbort = new AbortController();
  const onAbort = () => logsAbort.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const notice = (what: string) => (attempt: number, delay: number) =>
    emit({
      type: 'notice',
      at: Date.now(),
      text: `${what}: connection lost, reconnecting (#${attempt}) in ${delay} ms`,
    });

  const decode = logDecoder();
  const logs = followLogs(connection, jobId, (chunk) => emit(logEvent(chunk, decode)), {
    ...options.subscription,
    signal: logsAbort.signal,
    onReconnect: notice('logs'),
  }).catch((error: unknown) => {
    // Losing the log tail must not lose the run: the status still decides the outcome.
    if (!logsAbort.signal.aborted)
      emit({ type: 'notice', at: Date.now(), text: `logs unavailable: ${message(error)}` });
  });

  let last: JobStatusUpdate | null = options.initialStatus
    ? { id: jobId, status: options.initialStatus }
    : null;
  try {
    for await (const data of resilientSubscription(connection, JobStatusSubscription, () => ({ jobId }), {
      ...options.subscription,
      signal: options.signal,
      onReconnect: notice('status'),
    }) as AsyncGenerator<{ jobStatus: JobStatusUpdate }>) {
      const update = data.jobStatus;
      if (last?.status !== update.status) {
        emit({
          type: 'status',
          at: Date.now(),
          status: update.status,
          runner: update.runner?.name ?? update.runner?.slug ?? null,
          exitCode: update.exitCode,
          failureReason: update.failureReason,
          failureMessage: update.failureMessage,
        });
      }
      last = update;
      // A heartbeat failure may still be overturned by the runner's late completion (its server
      // died, not the runner): the server keeps the stream open through that grace and ends it.
      if (TERMINAL.has(update.status) && update.failureReason !== 'HEARTBEAT_TIMEOUT') {
        options.onEnd?.(update);
        break;
      }
    }
  } finally {
    await Promise.race([logs, new Promise((resolve) => setTimeout(resolve, options.drainMs ?? 1500))]);
    logsAbort.abort();
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (!last) throw new Error('the job status subscription ended without a status');
  return last;
}

/** Streams a job's log chunks in seq order; after a reconnect it resumes after the last one seen. */
export async function followLogs(
  connection: Connection,
  jobId: string,
  onChunk: (chunk: LogChunk) => void,
  options: SubscriptionOptions = {},
  afterSeq = -1,
): Promise<number> {
  let lastSeq = afterSeq;
  const variables = () => ({ jobId, afterSeq: lastSeq < 0 ? null : lastSeq });
  for await (const data of resilientSubscription(
    connection,
    JobLogsSubscription,
    variables,
    options,
  ) as AsyncGenerator<{
    jobLogs: LogChunk | LogChunk[];
  }>) {
    // A server may send one chunk or a batch per event.
    for (const chunk of Array.isArray(data.jobLogs) ? data.jobLogs : [data.jobLogs]) {
      if (chunk.seq <= lastSeq) continue;
      lastSeq = chunk.seq;
      onChunk(chunk);
    }
  }
  return lastSeq;
}

export async function cancelJob(client: ApiClient, jobId: string): Promise<JobStatus> {
  const data = (await client.request(CancelJobMutation, { id: jobId })) as {
    cancelJob: { status: JobStatus };
  };
  return data.cancelJob.status;
}

function logEvent(chunk: LogChunk, decode: (chunk: LogChunk) => string) {
  return { type: 'log' as const, at: Date.now(), stream: chunk.stream, text: decode(chunk) };
}

/** UTF-8 per stream, keeping a character split between two chunks for the next one. */
export function logDecoder(): (chunk: LogChunk) => string {
  const decoders = new Map<LogStream, TextDecoder>();
  return (chunk) => {
    const decoder = decoders.get(chunk.stream) ?? new TextDecoder();
    decoders.set(chunk.stream, decoder);
    return decoder.decode(Buffer.from(chunk.data, 'base64'), { stream: true });
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
