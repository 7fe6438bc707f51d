import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/database.js';
import { createDatabase, type Database } from './database.js';
import { PREPARED } from './prepared-statements.js';

const { url } = await createTestDatabase();

/** Round trips to PostgreSQL from now on: each ends with a Sync (extended protocol) or is one Query message. */
function countRoundTrips(): () => number {
  const connection = pg.Connection.prototype as unknown as { sync(): void; query(text: string): void };
  const sync = vi.spyOn(connection, 'sync');
  const query = vi.spyOn(connection, 'query');
  return () => sync.mock.calls.length + query.mock.calls.length;
}

const txid = (db: Database) =>
  sql<{ tx: string }>`${sql.raw(PREPARED)} SELECT txid_current()::text AS tx, ${1}::int AS one`.execute(db);

describe('a transaction BEGIN', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('travels with the first statement: one round trip fewer, one transaction all the same', async () => {
    const db = createDatabase({ url, max: 1 });
    try {
      await sql`SELECT 1`.execute(db); // connected
      const roundTrips = countRoundTrips();
      const ids = await db.transaction().execute(async (trx) => {
        const first = await txid(trx);
        const second = await sql<{ tx: string }>`SELECT txid_current()::text AS tx, ${2}::int AS two`.execute(
          trx,
        );
        return [first.rows[0]!.tx, second.rows[0]!.tx];
      });
      // BEGIN + first statement, second statement, COMMIT.
      expect(roundTrips()).toBe(3);
      expect(ids[0]).toBe(ids[1]);
      // Committed: the connection is out of the transaction.
      const after = await txid(db);
      expect(after.rows[0]!.tx).not.toBe(ids[0]);
    } finally {
      await db.destroy();
    }
  });

  it('costs nothing in a transaction that sends no statement', async () => {
    const db = createDatabase({ url, max: 1 });
    try {
      await sql`SELECT 1`.execute(db);
      const roundTrips = countRoundTrips();
      expect(await db.transaction().execute(async () => 'nothing')).toBe('nothing');
      expect(roundTrips()).toBe(0);
      expect(
        (await sql<{ open: boolean }>`SELECT now() <> statement_timestamp() AS open`.execute(db)).rows,
      ).toEqual([{ open: false }]);
    } finally {
      await db.destroy();
    }
  });

  it('rolls back what followed it when the transaction fails, first statement included', async () => {
    const db = createDatabase({ url, max: 1 });
    try {
      await sql`CREATE TABLE begin_probe (id int PRIMARY KEY)`.execute(db);
      await sql`INSERT INTO begin_probe VALUES (1)`.execute(db);
      // The pipelined first statement itself fails.
      await expect(
        db.transaction().execute((trx) => sql`INSERT INTO begin_probe VALUES (${1})`.execute(trx)),
      ).rejects.toMatchObject({ code: '23505' });
      // A later statement fails: the first one's row goes with it.
      await expect(
        db.transaction().execute(async (trx) => {
          await sql`${sql.raw(PREPARED)} INSERT INTO begin_probe VALUES (${2})`.execute(trx);
          await sql`INSERT INTO begin_probe VALUES (${1})`.execute(trx);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      // A named statement that does not parse, then the connection goes on preparing and running others.
      await expect(
        db.transaction().execute((trx) => sql`${sql.raw(PREPARED)} SELEC ${1}`.execute(trx)),
      ).rejects.toMatchObject({ code: '42601' });
      await db
        .transaction()
        .execute((trx) => sql`${sql.raw(PREPARED)} INSERT INTO begin_probe VALUES (${3})`.execute(trx));
      const rows = await sql<{ id: number }>`SELECT id FROM begin_probe ORDER BY id`.execute(db);
      expect(rows.rows).toEqual([{ id: 1 }, { id: 3 }]);
    } finally {
      await sql`DROP TABLE IF EXISTS begin_probe`.execute(db);
      await db.destroy();
    }
  });
});
