import { afterAll } from 'vitest';
import type { BusEvent } from '../../src/server/events/bus.js';
import { NatsEventBus } from '../../src/server/events/nats.js';
import type { TestServer } from './server.js';
import { testEventBus } from './server.js';

/**
 * Every event the test's servers publish, in arrival order. On NOTIFY the server's own bus hears
 * them all; on NATS a server hears only what it wants, so the tap is a connection of its own that
 * wants everything (kept apart so that it does not change what the server under test receives).
 */
export async function tapEvents(server: TestServer): Promise<BusEvent[]> {
  const seen: BusEvent[] = [];
  if (!testEventBus) {
    server.deps.events.subscribe((event) => seen.push(event));
    return seen;
  }
  const tap = await NatsEventBus.connect(testEventBus);
  tap.subscribe((event) => seen.push(event));
  await tap.want({ topic: 'everything' }).ready;
  afterAll(() => tap.close());
  return seen;
}
