/**
 * Events that cross server instances. Payloads carry ids and seq ranges only — the data itself
 * is read from the tables — so they stay far below PostgreSQL's 8 KB NOTIFY limit.
 */
export type BusEvent =
  /** A job became claimable for this spec (created, or a slot freed up). */
  | { topic: 'queue'; specId: string | null }
  | { topic: 'job'; jobId: string; projectId: string; status: string; cancel?: boolean }
  | { topic: 'logs'; jobId: string; fromSeq: number; toSeq: number };

export type Handler = (event: BusEvent) => void;

/**
 * What a server needs to hear about. A bus that routes by subject (NATS) delivers only the
 * events of declared interests; NOTIFY and the memory bus deliver everything and ignore them.
 */
export type Interest =
  | { topic: 'queue'; specId: string }
  | { topic: 'job'; jobId: string }
  | { topic: 'project'; projectId: string }
  | { topic: 'logs'; jobId: string }
  /** Every event: a tap for tools and tests, never for a server's own work. */
  | { topic: 'everything' };

export interface Want {
  /** Resolves once the bus delivers the interest's events: read the tables after it, not before. */
  ready: Promise<void>;
  /** The interest is no longer needed; calling it twice is harmless. */
  drop(): void;
}

export interface EventBus {
  /** Call after the transaction that made the change has committed. */
  publish(event: BusEvent): Promise<void>;
  /**
   * Every event this server receives (all of them, or those of declared interests on a bus that
   * routes); filter in the handler. Returns an unsubscribe function.
   */
  subscribe(handler: Handler): () => void;
  /** Declares an interest; unset on buses that deliver every event everywhere (see `want`). */
  want?(interest: Interest): Want;
  /**
   * Set when the bus is PostgreSQL NOTIFY on the request database: a statement may then publish
   * itself with `pg_notify(sqlChannel, payload)`, delivered at its transaction's commit, which saves
   * a round trip per event. Unset: publish after commit.
   */
  readonly sqlChannel?: string;
  /** Called after the bus lost and regained its connection: events may have been missed, so re-read state. */
  onResync(handler: () => void): () => void;
  close(): Promise<void>;
}

const NOTHING_TO_WAIT_FOR: Want = { ready: Promise.resolve(), drop: () => {} };

/** Declares an interest on buses that route by it; a no-op on the others. */
export function want(events: EventBus, interest: Interest): Want {
  return events.want?.(interest) ?? NOTHING_TO_WAIT_FOR;
}

/** Keeps handlers and fans events out; both implementations share it. */
export class Fanout {
  private handlers = new Set<Handler>();
  private resyncs = new Set<() => void>();

  add(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  addResync(handler: () => void): () => void {
    this.resyncs.add(handler);
    return () => this.resyncs.delete(handler);
  }

  emit(event: BusEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }

  resync(): void {
    for (const handler of this.resyncs) handler();
  }

  get size(): number {
    return this.handlers.size;
  }
}
