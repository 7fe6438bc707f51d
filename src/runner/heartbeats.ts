import type { Logger } from 'pino';
import { RunnerApiError, type RunnerClient } from './client.js';
import { sleep } from './sleep.js';

export interface HeartbeatOptions {
  client: RunnerClient;
  jobId: string;
  intervalMs: number;
  log: Logger;
  /** Called once, when an answer says the job was canceled. */
  onCancel(): void;
}

export interface Heartbeats {
  stop(): void;
}

/**
 * Beats every `intervalMs` while a job is ours, one call at a time. A missed beat is not retried: the
 * next tick is the retry, and a server that is down for longer than its heartbeat timeout fails the job
 * on its own side (a late completeJob still wins over that).
 */
export function startHeartbeats(options: HeartbeatOptions): Heartbeats {
  const { client, jobId, intervalMs, log } = options;
  const stopped = new AbortController();
  let canceled = false;
  let failures = 0;

  const beat = async () => {
    try {
      const answer = await client.heartbeatJob(jobId, {
        attempts: 1,
        timeoutMs: Math.max(intervalMs * 2, 5000),
        signal: stopped.signal,
      });
      if (failures > 0) log.info({ jobId, missed: failures }, 'heartbeats answered again');
      failures = 0;
      if (answer.cancel && !canceled) {
        canceled = true;
        options.onCancel();
      }
    } catch (error) {
      if (stopped.signal.aborted) return;
      failures++;
      if (failures === 1 || failures % 15 === 0) {
        const code = error instanceof RunnerApiError ? error.code : undefined;
        log.warn({ jobId, code, err: (error as Error).message, missed: failures }, 'heartbeat failed');
      }
    }
  };

  void (async () => {
    while (!stopped.signal.aborted) {
      const started = Date.now();
      await beat();
      const wait = Math.max(0, intervalMs - (Date.now() - started));
      await sleep(wait, stopped.signal);
    }
  })();

  return { stop: () => stopped.abort() };
}
