import type { Database } from '../db/database.js';
import { type BusEvent, type EventBus, type Want, want } from '../events/bus.js';
import { type JobRow, readJob } from './job-state.js';
import { contiguous, type LogChunk, nextSeq, readChunks } from './log-chunks.js';

/** Chunks one feed reads per query. */
const FEED_PAGE = 500;
/** The shared window of recent chunks per job: enough for subscribers that keep up. */
const WINDOW_CHUNKS = 1024;
const WINDOW_BYTES = 1024 * 1024;
const RETRY_MS = 1000;

type Listener = () => void;

/** The latest row of one job, re-read once per `job` event however many streams watch it. */
export class JobWatch {
  /** undefined until the first read; null when the job does not exist. */
  row: JobRow | null | undefined;
  readonly listeners = new Set<Listener>();
  readonly ready: Promise<void>;
  private reading: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly db: Database,
    readonly jobId: string,
    /** The bus's interest in the job's events: its first read waits for it, so no change slips by. */
    readonly interest: Want,
  ) {
    this.ready = interest.ready.then(() => this.refresh());
  }

  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          this.row = (await readJob(this.db, this.jobId)) ?? null;
          for (const listener of this.listeners) listener();
        } while (this.again && this.listeners.size);
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }
}

/** What the feeds of one hub did, for tests and benches. */
export interface FeedCounters {
  /** Reads of the table for new chunks (one per event or page, per server). */
  reads: number;
  /** Chunks stored by this server and handed to its feed without a read. */
  handedOver: number;
}

/**
 * The tail of one job's log, read once per server however many subscribers follow it. It keeps
 * a bounded window of the newest chunks; a subscriber that falls behind it reads the table itself.
 *
 * Chunks appended through this server are handed over as they are committed (`appended`), so
 * a local subscriber has them without the bus's round trip and the feed's read; their event,
 * when it comes back, finds them in the window and costs nothing. Chunks appended elsewhere
 * arrive as events and are read from the table, as before.
 */
export class LogFeed {
  /** The seq the feed reads next: every chunk below it is in the table (or was, before the window). */
  next = 0;
  window: LogChunk[] = [];
  private windowBytes = 0;
  readonly listeners = new Set<Listener>();
  readonly ready: Promise<void>;
  private initialised = false;
  private reading = false;
  private dirty = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database,
    readonly jobId: string,
    readonly interest: Want,
    private readonly counters: FeedCounters = { reads: 0, handedOver: 0 },
    /** Off: every event is read from the table (BENCHLINE_LIVE_REREAD=1, the anchor of bench/live-latency.ts). */
    private readonly handOff = true,
  ) {
    this.ready = this.init();
  }

  /** Whether every chunk up to `toSeq` is already in the feed. */
  has(toSeq: number): boolean {
    return this.initialised && toSeq < this.next;
  }

  /** An event announced chunks up to `toSeq`. */
  announced(toSeq: number): void {
    // Off, as before the hand-off: every event reads.
    if (!this.handOff) {
      this.changed();
      return;
    }
    if (this.has(toSeq)) return;
    // This server may be handing these very chunks over: its NOTIFY can come in on the listener
    // in the same turn as its insert's answer. Look again once this turn's I/O has run.
    setImmediate(() => {
      if (!this.has(toSeq)) this.changed();
    });
  }

  /**
   * Chunks this server has just committed, in seq order. Those that continue the window join it
   * at once; a gap before them (chunks stored through another server or another request, not
   * yet seen) is left to a read of the table, which the feed then makes.
   */
  appended(chunks: readonly LogChunk[]): void {
    if (!this.handOff || !chunks.length) return;
    if (!this.initialised) {
      this.changed();
      return;
    }
    const run = contiguous(
      chunks.filter((c) => c.seq >= this.next),
      this.next,
    );
    if (run.length) {
      this.counters.handedOver += run.length;
      this.append(run);
      this.notify();
    }
    if ((chunks.at(-1) as LogChunk).seq >= this.next) this.changed();
  }

  /** First seq still in the window. */
  get windowStart(): number {
    return this.next - this.window.length;
  }

  get windowSize(): number {
    return this.window.length;
  }

  /** Up to `limit` chunks from the window starting at `seq`, or null when `seq` is not in it. */
  slice(seq: number, limit: number): LogChunk[] | null {
    const start = seq - this.windowStart;
    if (start < 0 || seq >= this.next) return null;
    return this.window.slice(start, start + limit);
  }

  changed(): void {
    this.dirty = true;
    if (this.initialised && !this.reading) void this.catchUp();
  }

  stop(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.interest.drop();
  }

  private async init(): Promise<void> {
    // The bus subscription is in place once `ready`: anything appended after this read is announced.
    await this.interest.ready;
    for (let attempt = 1; ; attempt++) {
      try {
        this.next = await nextSeq(this.db, this.jobId);
        break;
      } catch (error) {
        if (attempt >= 5 || !this.listeners.size) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
    this.initialised = true;
    if (this.dirty) void this.catchUp();
  }

  private async catchUp(): Promise<void> {
    this.reading = true;
    try {
      while (this.dirty && this.listeners.size) {
        this.dirty = false;
        for (;;) {
          const rows = await readChunks(this.db, this.jobId, this.next, FEED_PAGE);
          this.counters.reads++;
          // Chunks handed over while the read was out are in the window already.
          const unseen = rows.filter((r) => r.seq >= this.next);
          const fresh = contiguous(unseen, this.next);
          this.append(fresh);
          this.notify();
          // A short page is the end; a hole waits for its chunk's event.
          if (rows.length < FEED_PAGE || fresh.length < unseen.length) break;
        }
      }
    } catch {
      // The database hiccuped; subscribers read the table on their own, try again shortly.
      this.dirty = true;
      this.retry ??= setTimeout(() => {
        this.retry = null;
        this.changed();
      }, RETRY_MS);
    } finally {
      this.reading = false;
    }
    this.notify();
  }

  private append(rows: LogChunk[]): void {
    for (const row of rows) {
      this.window.push(row);
      this.windowBytes += row.data.length;
    }
    if (rows.length) this.next = (rows.at(-1) as LogChunk).seq + 1;
    if (this.window.length > WINDOW_CHUNKS || this.windowBytes > WINDOW_BYTES) {
      // Trim to three quarters so that trimming is not a copy per appended chunk.
      let drop = Math.max(0, this.window.length - Math.floor((WINDOW_CHUNKS * 3) / 4));
      let bytes = this.windowBytes;
      for (let i = 0; i < drop; i++) bytes -= (this.window[i] as LogChunk).data.length;
      while (bytes > (WINDOW_BYTES * 3) / 4 && drop < this.window.length) {
        bytes -= (this.window[drop] as LogChunk).data.length;
        drop++;
      }
      this.window = this.window.slice(drop);
      this.windowBytes = bytes;
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** A stream's hold on the shared state of one job; release it when the stream ends. */
export interface JobLease {
  watch: JobWatch;
  release(): void;
}

export interface LogLease extends JobLease {
  feed: LogFeed;
}

export interface ProjectListener {
  /** A job of the project changed. */
  changed(jobId: string): void;
  /** Events may have been missed. */
  resync(): void;
}

export interface HubStats {
  jobWatches: number;
  logFeeds: number;
  /** Chunks held in all feed windows. */
  windowChunks: number;
  projectListeners: number;
  /** Since the hub started: the feeds' reads of new chunks, and the chunks handed over instead. */
  feedReads: number;
  chunksHandedOver: number;
}

/**
 * One per event bus (that is, per server process): a single bus subscription routes events to
 * the jobs and projects being watched, so the cost of an event does not grow with the number of
 * unrelated subscribers, and a job's rows are read once per event, not once per subscriber.
 */
export class LiveHub {
  private watches = new Map<string, JobWatch>();
  private feeds = new Map<string, LogFeed>();
  private projects = new Map<string, Set<ProjectListener>>();
  private projectInterests = new Map<string, Want>();
  private unsubscribe: (() => void) | null = null;
  private readonly counters: FeedCounters = { reads: 0, handedOver: 0 };

  constructor(
    private readonly db: Database,
    private readonly events: EventBus,
    /** Hand chunks appended through this server to its feeds (see LogFeed); off, they are read back. */
    private readonly handOff = true,
  ) {}

  /** Chunks this server has just committed for a job (appendJobLogs), stored at `createdAt`. */
  appended(jobId: string, chunks: ReadonlyArray<Pick<LogChunk, 'seq' | 'stream' | 'data'>>, createdAt: Date) {
    const feed = this.feeds.get(jobId.toLowerCase());
    if (!feed || !chunks.length) return;
    feed.appended(
      chunks.map((c) => ({
        job_id: feed.jobId,
        seq: c.seq,
        stream: c.stream,
        data: c.data,
        created_at: createdAt,
      })),
    );
  }

  watchJob(jobId: string, listener: Listener): JobLease {
    this.attach();
    let watch = this.watches.get(jobId);
    if (!watch) {
      watch = new JobWatch(this.db, jobId, want(this.events, { topic: 'job', jobId }));
      this.watches.set(jobId, watch);
      watch.ready.catch(() => {});
    }
    watch.listeners.add(listener);
    const owned = watch;
    let released = false;
    return {
      watch,
      release: () => {
        if (released) return;
        released = true;
        owned.listeners.delete(listener);
        if (!owned.listeners.size && this.watches.get(jobId) === owned) {
          this.watches.delete(jobId);
          owned.interest.drop();
        }
        this.detachIfIdle();
      },
    };
  }

  watchLogs(jobId: string, listener: Listener): LogLease {
    const job = this.watchJob(jobId, listener);
    let feed = this.feeds.get(jobId);
    if (!feed) {
      feed = new LogFeed(
        this.db,
        jobId,
        want(this.events, { topic: 'logs', jobId }),
        this.counters,
        this.handOff,
      );
      this.feeds.set(jobId, feed);
      feed.ready.catch(() => {});
    }
    feed.listeners.add(listener);
    const owned = feed;
    return {
      watch: job.watch,
      feed,
      release: () => {
        owned.listeners.delete(listener);
        if (!owned.listeners.size && this.feeds.get(jobId) === owned) {
          owned.stop();
          this.feeds.delete(jobId);
        }
        job.release();
      },
    };
  }

  watchProject(projectId: string, listener: ProjectListener): () => void {
    this.attach();
    let set = this.projects.get(projectId);
    if (!set) {
      set = new Set();
      this.projects.set(projectId, set);
      this.projectInterests.set(projectId, want(this.events, { topic: 'project', projectId }));
    }
    set.add(listener);
    const owned = set;
    return () => {
      owned.delete(listener);
      if (!owned.size && this.projects.get(projectId) === owned) {
        this.projects.delete(projectId);
        this.projectInterests.get(projectId)?.drop();
        this.projectInterests.delete(projectId);
      }
      this.detachIfIdle();
    };
  }

  stats(): HubStats {
    let windowChunks = 0;
    for (const feed of this.feeds.values()) windowChunks += feed.windowSize;
    let projectListeners = 0;
    for (const set of this.projects.values()) projectListeners += set.size;
    return {
      jobWatches: this.watches.size,
      logFeeds: this.feeds.size,
      windowChunks,
      projectListeners,
      feedReads: this.counters.reads,
      chunksHandedOver: this.counters.handedOver,
    };
  }

  private attach(): void {
    if (this.unsubscribe) return;
    const offEvent = this.events.subscribe((event) => this.route(event));
    const offResync = this.events.onResync(() => this.resync());
    this.unsubscribe = () => {
      offEvent();
      offResync();
    };
  }

  private detachIfIdle(): void {
    if (this.watches.size || this.feeds.size || this.projects.size) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private route(event: BusEvent): void {
    if (event.topic === 'logs') {
      this.feeds.get(event.jobId)?.announced(event.toSeq);
    } else if (event.topic === 'job') {
      this.watches
        .get(event.jobId)
        ?.refresh()
        .catch(() => {});
      for (const listener of this.projects.get(event.projectId) ?? []) listener.changed(event.jobId);
    }
  }

  private resync(): void {
    for (const watch of this.watches.values()) watch.refresh().catch(() => {});
    for (const feed of this.feeds.values()) feed.changed();
    for (const set of this.projects.values()) for (const listener of set) listener.resync();
  }
}

const hubs = new WeakMap<EventBus, LiveHub>();

/** The hub of this bus; a server has one bus and one database, so one hub. */
export function liveHub(db: Database, events: EventBus): LiveHub {
  let hub = hubs.get(events);
  if (!hub) {
    hub = new LiveHub(db, events, process.env.BENCHLINE_LIVE_REREAD !== '1');
    hubs.set(events, hub);
  }
  return hub;
}

/**
 * Hands chunks just committed through this server to its live subscribers, if it has any for
 * the job; without a hub (nobody ever subscribed here) there is nothing to do.
 */
export function handOverLogs(
  events: EventBus,
  jobId: string,
  chunks: ReadonlyArray<Pick<LogChunk, 'seq' | 'stream' | 'data'>>,
  createdAt: Date,
): void {
  hubs.get(events)?.appended(jobId, chunks, createdAt);
}
