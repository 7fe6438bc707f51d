import { type EventBus, type Want, want } from '../events/bus.js';
import { perBus } from '../events/per-bus.js';
import type { Claimed } from './claimed-spec.js';
import { DeadlineWheel, type Expiring } from './deadline-wheel.js';
import { QuietSpecs } from './quiet-specs.js';

/** How a waiting claim ends its sleep. */
export type WakeUp =
  /** A queue event for one of its specs; specId null: everyone was woken to look once. */
  | { kind: 'event'; specId: string | null }
  /** A job created on this server was claimed for it by the creating statement (hand-off). */
  | { kind: 'handed'; claimed: Claimed }
  /** waitSeconds passed, or the caller went away. */
  | { kind: 'timeout' };

const TIMEOUT: WakeUp = Object.freeze({ kind: 'timeout' });

/**
 * One waiting claim, and the caller's handle on it (its `Registration`). Everything a held
 * long-poll keeps across its wait lives in these fields: no closures per sleep, its deadline on
 * the waiters' one timer (deadline-wheel.ts), itself as the abort listener (`handleEvent`).
 */
class Waiter implements Registration, Expiring {
  /** Asleep between claim attempts: only then may a new job be handed to it. */
  asleep = false;
  /** Held by a job being created, which may be handed to it at commit. */
  reserved = false;
  /** Its time ran out while reserved: it ends when the reservation does, unless handed a job. */
  expired = false;
  /** An event or job that arrived; read by `sleep` or `stop`. */
  wake: WakeUp | null = null;
  resolve: ((wake: WakeUp) => void) | null = null;
  signal: AbortSignal | null = null;
  /** Its specs' queue events, declared to a bus that routes by spec; dropped when it leaves. */
  wants: Want[];
  ready: Promise<void>;
  wheelSlot = -1;

  constructor(
    private readonly owner: ClaimWaiters,
    readonly specIds: ReadonlySet<string>,
    readonly runnerId: string | undefined,
    /** It asked for its job started (ClaimAs.start): a job handed to it is inserted RUNNING. */
    readonly start: boolean,
    /** Registration order: the longest-waiting comes first. */
    readonly seq: number,
    events: EventBus,
  ) {
    this.wants = [...specIds].map((specId) => want(events, { topic: 'queue', specId }));
    this.ready = this.wants.length === 1 ? (this.wants[0] as Want).ready : allReady(this.wants);
  }

  stop(): WakeUp | null {
    this.owner.remove(this);
    return this.wake;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<WakeUp> {
    if (this.wake) {
      this.owner.remove(this);
      return Promise.resolve(this.wake);
    }
    if (ms <= 0 || signal?.aborted) {
      this.owner.remove(this);
      return Promise.resolve(TIMEOUT);
    }
    this.asleep = true;
    this.owner.deadlines.add(this, ms);
    if (signal) {
      this.signal = signal;
      signal.addEventListener('abort', this);
    }
    return new Promise<WakeUp>((resolve) => {
      this.resolve = resolve;
    });
  }

  /** Its deadline passed. A reserved waiter may be handed a job at the creator's commit: it waits for that. */
  expire(): void {
    if (this.reserved) {
      this.expired = true;
      return;
    }
    this.owner.remove(this);
    this.settle(TIMEOUT);
  }

  /** The caller went away (the request's abort signal). */
  handleEvent(): void {
    this.expire();
  }

  settle(wake: WakeUp): void {
    this.wake = wake;
    const resolve = this.resolve;
    if (!resolve) return;
    this.resolve = null;
    this.owner.deadlines.delete(this);
    this.signal?.removeEventListener('abort', this);
    this.signal = null;
    resolve(wake);
  }
}

/** A long-poll that a job being created may be handed to. */
export interface HandOffCandidate {
  runnerId: string;
  specIds: ReadonlySet<string>;
  /** The claimer asked for its job started: the creating statement starts and bills it too. */
  start: boolean;
}

/**
 * Idle long-polls held for one job's creation: the creating statement may claim the job for one
 * of them (`candidates`), and after its commit the job is delivered to that one. Until then they
 * hear no events; what they missed is replayed when they are let go.
 */
export interface Reservation {
  candidates: HandOffCandidate[];
  /** After commit: gives the job claimed for `runnerId` to its long-poll and lets the others go. */
  deliver(runnerId: string, claimed: Claimed): void;
  /** No job was handed over (none claimed, or a rollback): lets every candidate go. */
  release(): void;
}

/**
 * The runners of one server that wait in claimJob. A `queue` event wakes ONE waiter serving its
 * spec (a job is claimed once; waking every runner for it would be a thundering herd); the one
 * woken passes the baton on after a successful claim (`nudge`), so a burst of jobs reaches
 * idle runners one after another. A `queue` event without a spec, or a bus resync (events may
 * have been missed while the listener was down), wakes everyone to check once.
 *
 * A job created on this server while runners sleep here can skip the queue: its creation
 * reserves the sleepers (`reserve`), claims the job for one of them in the inserting statement,
 * and hands it over at commit, saving the claim's round trip and a notification.
 */
export class ClaimWaiters {
  /** Everyone waiting, in waiting order (a Set keeps insertion order). */
  private waiters = new Set<Waiter>();
  /**
   * The same, per spec served: a wake-up and a reservation look at the head of a spec's line
   * instead of walking every waiter — with 10,000 runners connected, that walk was most of the
   * cost of each job (bench/runners-10k.ts).
   */
  private bySpec = new Map<string, Set<Waiter>>();
  private registered = 0;
  /** The sleepers' deadlines, on one timer; for `Waiter`. */
  readonly deadlines: DeadlineWheel<Waiter>;
  private reservations = 0;
  /** Wake-ups that found only reserved waiters, replayed when a reservation ends. */
  private missed: Array<string | null> = [];
  /** Specs known to have no PENDING job: a claim attempt for only those need not query (quiet-specs.ts). */
  readonly quiet = new QuietSpecs();

  constructor(
    private readonly events: EventBus,
    /** How late a sleeper's timeout may fire (deadline-wheel.ts). */
    resolutionMs = 100,
  ) {
    this.deadlines = new DeadlineWheel(resolutionMs);
    events.subscribe((event) => {
      if (event.topic !== 'queue') return;
      this.quiet.heardEvent(event.specId);
      this.wake(event.specId);
    });
    events.onResync(() => {
      this.quiet.heardEvent(null);
      this.wakeAll();
    });
  }

  /**
   * Registers before the caller's claim attempt, so an event arriving during the attempt is not
   * lost: `sleep` then returns it at once. After a successful attempt, `stop` returns any event
   * that arrived meanwhile, which the caller owes to another runner.
   */
  register(specIds: string[], runnerId?: string, start = false): Registration {
    const waiter = new Waiter(this, new Set(specIds), runnerId, start, this.registered++, this.events);
    this.waiters.add(waiter);
    for (const specId of waiter.specIds) {
      let line = this.bySpec.get(specId);
      if (!line) {
        line = new Set();
        this.bySpec.set(specId, line);
      }
      line.add(waiter);
    }
    return waiter;
  }

  /** A queue event's wake-up: the longest-waiting runner of the spec, or everyone (null) to look once. */
  wake(specId: string | null): void {
    if (specId === null) this.wakeAll();
    else this.nudge(specId);
  }

  /** Wakes the longest-waiting runner that serves the spec. */
  nudge(specId: string): void {
    let waiter: Waiter | undefined;
    for (const w of this.bySpec.get(specId) ?? []) {
      if (!w.reserved && !w.wake) {
        waiter = w;
        break;
      }
    }
    if (waiter) {
      this.remove(waiter);
      waiter.settle({ kind: 'event', specId });
    } else if (this.reservations > 0) {
      this.missed.push(specId);
    }
  }

  wakeAll(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.reserved || waiter.wake) continue;
      this.remove(waiter);
      waiter.settle({ kind: 'event', specId: null });
    }
    if (this.reservations > 0) this.missed.push(null);
  }

  /**
   * Holds sleeping runners of this server for a job being created; null when none sleeps. The
   * creating statement hands the job to the first candidate that serves its spec, so the
   * longest-waiting free sleeper of each spec is all it can use: holding every sleeper would send
   * thousands of ids into the statement and deafen them all to wake-ups until its commit.
   */
  reserve(): Reservation | null {
    const picked = new Set<Waiter>();
    for (const line of this.bySpec.values()) {
      for (const w of line) {
        if (w.asleep && !w.reserved && !w.wake && w.runnerId) {
          picked.add(w);
          break;
        }
      }
    }
    if (picked.size === 0) return null;
    const held = [...picked].sort((a, b) => a.seq - b.seq);
    for (const waiter of held) waiter.reserved = true;
    this.reservations++;
    let open = true;
    const end = () => {
      if (!open) return false;
      open = false;
      this.reservations--;
      return true;
    };
    const letGo = () => {
      for (const waiter of held) {
        if (!waiter.reserved) continue;
        waiter.reserved = false;
        if (waiter.expired) {
          this.remove(waiter);
          waiter.settle(TIMEOUT);
        }
      }
      const missed = this.missed;
      this.missed = [];
      for (const specId of missed) this.wake(specId);
    };
    return {
      candidates: held.map((w) => ({ runnerId: w.runnerId as string, specIds: w.specIds, start: w.start })),
      deliver: (runnerId, claimed) => {
        if (!end()) return;
        const waiter = held.find((w) => w.runnerId === runnerId && w.reserved);
        if (waiter) {
          waiter.reserved = false;
          this.remove(waiter);
          waiter.settle({ kind: 'handed', claimed });
        }
        letGo();
      },
      release: () => {
        if (end()) letGo();
      },
    };
  }

  get size(): number {
    return this.waiters.size;
  }

  /** Waiters asleep and free to be handed a job. */
  get sleeping(): number {
    let n = 0;
    for (const w of this.waiters) if (w.asleep && !w.reserved) n++;
    return n;
  }

  /** Takes a waiter out of every line (it was woken, timed out or stopped); for `Waiter`. */
  remove(waiter: Waiter): void {
    if (this.waiters.delete(waiter)) {
      for (const specId of waiter.specIds) {
        const line = this.bySpec.get(specId);
        if (line?.delete(waiter) && line.size === 0) {
          this.bySpec.delete(specId);
          this.quiet.forget(specId);
        }
      }
    }
    waiter.asleep = false;
    this.deadlines.delete(waiter);
    for (const w of waiter.wants) w.drop();
    waiter.wants = [];
  }
}

function allReady(wants: Want[]): Promise<void> {
  return Promise.all(wants.map((w) => w.ready)).then(() => {});
}

export interface Registration {
  /** Resolves once the bus delivers the specs' queue events: claim after it, so no wake-up slips by. */
  ready: Promise<void>;
  /** Stops waiting; returns the wake-up that arrived meanwhile, if any, for the caller to pass on. */
  stop(): WakeUp | null;
  /** Sleeps until an event, a handed job, `ms` or the signal; an event that already arrived returns at once. */
  sleep(ms: number, signal?: AbortSignal): Promise<WakeUp>;
}

/** The waiting claims of a server. */
export const claimWaitersFor = perBus((events) => new ClaimWaiters(events));
