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

export interface EventBus {
  /** Call after the transaction that made the change has committed. */
  publish(event: BusEvent): Promise<void>;
  /** Every event of every topic; filter in the handler. Returns an unsubscribe function. */
  subscribe(handler: Handler): () => void;
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
