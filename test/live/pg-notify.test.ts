import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../src/server/events/bus.js';
import { PgNotifyEventBus } from '../../src/server/events/pg-notify.js';
import { createTestDatabase } from '../helpers/database.js';
import { waitFor } from './fixtures.js';

const { db, url } = await createTestDatabase();
const a = await PgNotifyEventBus.connect(url);
const b = await PgNotifyEventBus.connect(url);
afterAll(async () => {
  await a.close();
  await b.close();
});

describe('PgNotifyEventBus', () => {
  it('delivers an event published on one bus to every bus on the database', async () => {
    const seen: BusEvent[] = [];
    const off = b.subscribe((event) => seen.push(event));
    const event: BusEvent = { topic: 'logs', jobId: 'j1', fromSeq: 3, toSeq: 9 };
    await a.publish(event);
    await waitFor(() => seen.length === 1, 'the event on the other bus');
    expect(seen).toEqual([event]);
    off();
  });

  it('refuses payloads over the NOTIFY limit, counting bytes', async () => {
    await expect(a.publish({ topic: 'queue', specId: 'é'.repeat(4000) })).rejects.toThrow(/too large/);
  });

  it('reconnects a listener whose connection was killed, then asks for a resync', async () => {
    let resyncs = 0;
    const offResync = b.onResync(() => resyncs++);
    const seen: BusEvent[] = [];
    const off = b.subscribe((event) => seen.push(event));
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`.execute(db);
    await waitFor(() => resyncs >= 1, 'the resync');
    await a.publish({ topic: 'queue', specId: null });
    await waitFor(() => seen.length >= 1, 'an event after the reconnect');
    off();
    offResync();
  });
});
