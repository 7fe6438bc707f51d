import type { Database } from '../db/database.js';
import { type EventBus, type Want, want } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { type Beat, flushHeartbeats } from './flush-heartbeats.js';
import { type HeartbeatAnswer, heartbeatJob } from './heartbeat-job.js';

/** What a server remembers of a job whose runner beats through it. */
interface Remembered {
  runnerId: string;
  /**
   * The database said this runner holds the job, in flight and not asked to stop, and the bus has
   * reported nothing about the job since: its beats may be answered from memory.
   */
  trusted: boolean;
  /** Bumped by every event that may change the answer, so a read that raced one is not trusted. */
  version: number;
  /** The newest acknowledged beat not yet written. */
  pending: Date | null;
  /** When a beat last came (wall clock, for forgetting idle jobs). */
  seenAt: number;
  /** The job's events, held across beats so that none slips between two of them. */
  interest: Want;
}

export interface HeartbeatBatchOptions {
  db: Database;
  events: EventBus;
  /** How often the acknowledged beats are written. */
  intervalMs: number;
  /** A job with no beat for this long is forgotten (its runner finished or went away). */
  forgetAfterMs: number;
  log?: Logger;
  /** false: tests call `flush()` themselves. */
  timer?: boolean;
}

/**
 * A server's heartbeats, batched (docs/queue.md, "Heartbeats"). A job's first beat on this server,
 * and any beat after the bus said something about the job, is written at once by `heartbeatJob`,
 * whose answer is the database's truth. From then on, while the bus reports nothing about the job
 * (a cancel, a finish, the sweeper's verdict, a release) and the runner is the same, beats are
 * acknowledged from memory and written every `intervalMs`, all of them in one statement. A crash
 * loses at most one interval of beats, well inside the heartbeat timeout the sweeper judges by.
 */
export class HeartbeatBatch {
  private jobs = new Map<string, Remembered>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly unsubscribe: Array<() => void>;
  /** Statements written by flushes, for benches and tests. */
  flushes = 0;

  constructor(private readonly options: HeartbeatBatchOptions) {
    const { events } = options;
    this.unsubscribe = [
      events.subscribe((event) => {
        if (event.topic !== 'job') return;
        const job = this.jobs.get(event.jobId);
        // A start changes nothing a beat answers; anything else (a cancel, a finish, a release or
        // a new holder) sends the next beat to the database.
        if (job && (event.cancel === true || event.status !== 'RUNNING')) distrust(job);
      }),
      // Events may have been missed while the bus was down.
      events.onResync(() => {
        for (const job of this.jobs.values()) distrust(job);
      }),
    ];
  }

  start(): this {
    if (this.options.timer !== false) {
      this.timer = setInterval(() => {
        this.flush().catch(() => {});
      }, this.options.intervalMs);
      this.timer.unref();
    }
    return this;
  }

  /** Jobs remembered (for benches and tests). */
  get size(): number {
    return this.jobs.size;
  }

  async beat(input: { jobId: string; runnerId: string; now: Date }): Promise<HeartbeatAnswer> {
    let job = this.jobs.get(input.jobId);
    if (job?.trusted && job.runnerId === input.runnerId) {
      job.seenAt = Date.now();
      if (!job.pending || job.pending < input.now) job.pending = input.now;
      return { cancel: false, leased: true };
    }
    if (!job) {
      job = {
        runnerId: input.runnerId,
        trusted: false,
        version: 0,
        pending: null,
        seenAt: Date.now(),
        interest: want(this.options.events, { topic: 'job', jobId: input.jobId }),
      };
      this.jobs.set(input.jobId, job);
    }
    job.seenAt = Date.now();
    // The job's events must reach us before the read, or one committed in between is missed.
    await job.interest.ready;
    const version = job.version;
    const answer = await heartbeatJob(this.options.db, input);
    if (answer.leased && !answer.cancel && job.version === version) {
      job.trusted = true;
      job.runnerId = input.runnerId;
    }
    return answer;
  }

  /** Writes the acknowledged beats (one statement) and forgets idle jobs. Flushes never overlap. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    const beats: Beat[] = [];
    const forgetBefore = Date.now() - this.options.forgetAfterMs;
    for (const [jobId, job] of this.jobs) {
      if (job.pending) {
        beats.push({ jobId, runnerId: job.runnerId, at: job.pending });
        job.pending = null;
      } else if (job.seenAt < forgetBefore) {
        job.interest.drop();
        this.jobs.delete(jobId);
      }
    }
    if (beats.length === 0) return;
    try {
      this.flushes++;
      const lost = await flushHeartbeats(this.options.db, beats);
      for (const jobId of lost) {
        const job = this.jobs.get(jobId);
        if (job) distrust(job);
      }
    } catch (error) {
      // Kept for the next flush, unless a newer beat came meanwhile.
      for (const beat of beats) {
        const job = this.jobs.get(beat.jobId);
        if (job && (!job.pending || job.pending < beat.at)) job.pending = beat.at;
      }
      this.options.log?.warn({ err: String(error), beats: beats.length }, 'could not write heartbeats');
    }
  }

  /** Writes what is pending and lets go of the bus. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flushing;
    await this.flush();
    for (const off of this.unsubscribe) off();
    for (const job of this.jobs.values()) job.interest.drop();
    this.jobs.clear();
  }
}

function distrust(job: Remembered): void {
  job.trusted = false;
  job.version++;
}

// The batch of each server, found from its bus as the claim and cancel waiters are; set by the
// queue extension while the server runs.
const batches = new WeakMap<EventBus, HeartbeatBatch>();

export function setHeartbeatBatch(events: EventBus, batch: HeartbeatBatch | null): void {
  if (batch) batches.set(events, batch);
  else batches.delete(events);
}

/** This server's batch, or undefined when heartbeats are written one by one. */
export function heartbeatBatchOf(events: EventBus): HeartbeatBatch | undefined {
  return batches.get(events);
}
