import pg from 'pg';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { createDatabase, type Database } from '../db/database.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { overdueJobs, silentJobs, unprocessedJobs } from './due-jobs.js';
import { publishAll } from './events.js';
import { expireJob } from './expire-job.js';
import { processJob } from './process-job.js';

export interface SweeperOptions {
  /** Its own connections: background work never takes the request pool's. */
  databaseUrl: string;
  config: Config;
  clock: Clock;
  events: EventBus;
  log?: Logger;
  /** Run ticks on a timer (config.sweepIntervalMs); tests may drive tick() themselves. */
  timer?: boolean;
}

export interface SweepResult {
  heartbeatTimeouts: number;
  jobTimeouts: number;
  processed: number;
}

const LEADER_LOCK = 'benchline:queue-sweeper';

/**
 * The queue's housekeeping, one active per cluster: whichever server holds a session advisory
 * lock on its own connection sweeps; the others try again each tick, so a successor takes over
 * within a tick of the leader's connection closing. Each tick is a few indexed queries over the
 * job table — no per-job timers — so nothing is lost across restarts.
 */
export class Sweeper {
  private lockClient: pg.Client | null = null;
  private leader = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SweepResult | null> | null = null;
  private stopped = false;
  private readonly db: Database;

  constructor(private readonly options: SweeperOptions) {
    this.db = createDatabase({
      url: options.databaseUrl,
      max: 2,
      onError: (error) => options.log?.warn({ err: error.message }, 'sweeper connection lost'),
    });
  }

  start(): this {
    if (this.options.timer !== false) {
      this.timer = setInterval(() => {
        this.tick().catch((error) => this.options.log?.warn({ err: String(error) }, 'sweep failed'));
      }, this.options.config.sweepIntervalMs);
      this.timer.unref();
    }
    return this;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** One sweep if this server leads (null otherwise). Ticks never overlap. */
  tick(): Promise<SweepResult | null> {
    this.running ??= this.sweep().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async lead(): Promise<boolean> {
    if (this.leader && this.lockClient) return true;
    if (!this.lockClient) {
      const client = new pg.Client({ connectionString: this.options.databaseUrl });
      client.on('error', () => {
        // The session lock died with the connection: someone else may lead now.
        if (this.lockClient === client) {
          this.lockClient = null;
          this.leader = false;
        }
      });
      await client.connect();
      this.lockClient = client;
    }
    const { rows } = await this.lockClient.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
      [LEADER_LOCK],
    );
    this.leader = rows[0]?.ok === true;
    return this.leader;
  }

  private async sweep(): Promise<SweepResult | null> {
    if (this.stopped) return null;
    const wasLeader = this.leader;
    if (!(await this.lead())) return null;
    const { config, clock, events, log } = this.options;
    const now = clock.now();
    const result: SweepResult = { heartbeatTimeouts: 0, jobTimeouts: 0, processed: 0 };
    for (const jobId of await overdueJobs(this.db, now, config.jobGraceSeconds)) {
      const published = await expireJob(this.db, config, { jobId, expiry: 'JOB_TIMEOUT', now });
      if (published.length) result.jobTimeouts++;
      await publishAll(events, published, log);
    }
    const cutoff = new Date(now.getTime() - config.heartbeatTimeoutSeconds * 1000);
    for (const jobId of await silentJobs(this.db, cutoff)) {
      const published = await expireJob(this.db, config, { jobId, expiry: 'HEARTBEAT_TIMEOUT', now });
      if (published.length) result.heartbeatTimeouts++;
      await publishAll(events, published, log);
    }
    // On taking the lead (a server start), every completed job is ours to finish; afterwards only
    // those a request left behind for a while.
    for (const jobId of await unprocessedJobs(this.db, now, wasLeader ? cutoff : null)) {
      try {
        const processed = await processJob(this.db, config, { jobId, now });
        if (processed.events.length) result.processed++;
        if (processed.error !== undefined) {
          const job = processed.job;
          log?.warn(
            { err: String(processed.error), jobId, attempts: job?.processing_attempts, status: job?.status },
            job?.status === 'FAILED'
              ? 'result processing failed for good'
              : 'result processing failed; will retry',
          );
        }
        await publishAll(events, processed.events, log);
      } catch (error) {
        log?.warn({ err: String(error), jobId }, 'could not process a completed job; will retry');
      }
    }
    return result;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => {});
    const client = this.lockClient;
    this.lockClient = null;
    this.leader = false;
    await client?.end().catch(() => {});
    await this.db.destroy();
  }
}
