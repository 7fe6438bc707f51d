/** What one pull found: items ready now, and whether the stream has ended after them. */
export interface Pulled<T> {
  items: T[];
  done: boolean;
}

/**
 * A pull-driven async iterator. Items are read only when the consumer asks for more, so a slow
 * consumer holds at most one pull's worth of items; events merely `wake()` it. `return()` ends
 * it at once, even while a `next()` is waiting for an event, and runs the cleanup exactly once.
 */
export class LiveIterator<T> implements AsyncIterableIterator<T> {
  private buffer: T[] = [];
  private head = 0;
  private finished = false;
  /** Set by wake(): something may have changed since the last pull. */
  private dirty = true;
  private wakeup: (() => void) | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private cleanup: (() => void) | null = null;

  constructor(private readonly pull: () => Promise<Pulled<T>>) {}

  /** Registers what to release when the stream ends (bus subscriptions). */
  onEnd(cleanup: () => void): void {
    if (this.finished) cleanup();
    else this.cleanup = cleanup;
  }

  wake(): void {
    this.dirty = true;
    const wakeup = this.wakeup;
    this.wakeup = null;
    wakeup?.();
  }

  /** Items read from the source but not yet taken by the consumer. */
  get buffered(): number {
    return this.buffer.length - this.head;
  }

  get ended(): boolean {
    return this.finished;
  }

  next(): Promise<IteratorResult<T>> {
    // graphql-js and for-await call next() one at a time; chaining keeps stray callers in order.
    const result = this.tail.then(() => this.step());
    this.tail = result.catch(() => {});
    return result;
  }

  async return(): Promise<IteratorResult<T>> {
    this.finish();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    this.finish();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async step(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.head < this.buffer.length) {
        const value = this.buffer[this.head++] as T;
        if (this.head === this.buffer.length) {
          this.buffer = [];
          this.head = 0;
        }
        return { value, done: false };
      }
      if (this.finished) return { value: undefined, done: true };
      if (!this.dirty) {
        await new Promise<void>((resolve) => {
          this.wakeup = resolve;
        });
        continue;
      }
      this.dirty = false;
      let pulled: Pulled<T>;
      try {
        pulled = await this.pull();
      } catch (error) {
        this.finish();
        throw error;
      }
      if (this.finished) continue;
      this.buffer = pulled.items;
      this.head = 0;
      if (pulled.done) this.finish(true);
      // A full pull may have left more behind: pull again without waiting for an event.
      else if (pulled.items.length) this.dirty = true;
    }
  }

  private finish(keepBuffer = false): void {
    if (!keepBuffer) {
      this.buffer = [];
      this.head = 0;
    }
    if (this.finished) return;
    this.finished = true;
    const cleanup = this.cleanup;
    this.cleanup = null;
    cleanup?.();
    this.wake();
  }
}
