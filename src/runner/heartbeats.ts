import type { Logger } from 'pino';
import { RunnerApiError, type RunnerClient } from './client.js';
import { sleep } from './sleep.js';

export interface HeartbeatOptions {
  client: RunnerClient;
  jobId: string;
  /** The least time from one beat's start to the next, when the server answers at once. */
  intervalMs: number;
  /** How long the server may hold each beat open, answering at once on a cancel (long-poll). */
  waitSeconds?: number;
  log: Logger;
  /** Called once, when an answer says the job was canceled. */
  onCancel(): void;
}

export interface Heartbeats {
  stop(): void;
}

/** The server keeps the answer at most a third of its heartbeat timeout (default 30 s). */
export const HEARTBEAT_WAIT_SECONDS = 10;
/**
 * The first beat waits this long after the claim (which counts as one), so a job that ends sooner
 * costs no heartbeat call, while a cancel asked for at any time still reaches the runner within
 * a second: from the first beat on, the held-open beat answers the moment it is announced.
 */
export const FIRST_BEAT_DELAY_MS = 500;

/**
 * Beats while a job is ours, one call at a time, each held open by the server as a long-poll that
 * ends early on a cancel. A missed beat is not retried: the next one is the retry, and a server
 * that is down for longer than its heartbeat timeout fails the job on its own side (a late
 * completeJob still wins over that).
 */
export function startHeartbeats(options: HeartbeatOptions): Heartbeats {
  const { client, jobId, intervalMs, log } = options;
  const waitSeconds = options.waitSeconds ?? HEARTBEAT_WAIT_SECONDS;
  const stopped = new AbortController();
  let canceled = false;
  let failures = 0;

  const beat = async () => {
    try {
      const answer = await client.heartbeatJob(jobId, {
        attempts: 1,
        waitSeconds,
        timeoutMs: waitSeconds * 1000 + Math.max(intervalMs * 2, 5000),
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
    await sleep(Math.min(intervalMs, FIRST_BEAT_DELAY_MS), stopped.signal);
    while (!stopped.signal.aborted) {
      const started = Date.now();
      await beat();
      const wait = Math.max(0, intervalMs - (Date.now() - started));
      await sleep(wait, stopped.signal);
    }
  })();

  return { stop: () => stopped.abort() };
}
