import { type BusEvent, type EventBus, Fanout, type Handler } from './bus.js';

/** For a single server process and for tests. */
export class MemoryEventBus implements EventBus {
  private fanout = new Fanout();

  async publish(event: BusEvent): Promise<void> {
    queueMicrotask(() => this.fanout.emit(event));
  }

  subscribe(handler: Handler): () => void {
    return this.fanout.add(handler);
  }

  onResync(handler: () => void): () => void {
    return this.fanout.addResync(handler);
  }

  async close(): Promise<void> {}
}
