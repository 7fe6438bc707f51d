import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/database.js';
import { createDatabase } from './database.js';
import { PREPARED } from './prepared-statements.js';

const { url } = await createTestDatabase();

describe('prepared statements', () => {
  it('runs a marked statement as a named prepared statement and others as before', async () => {
    const db = createDatabase({ url, max: 1 });
    try {
      const marked = (n: number) =>
        sql<{ doubled: number }>`${sql.raw(PREPARED)} SELECT ${n}::int * 2 AS doubled`;
      expect((await marked(2).execute(db)).rows).toEqual([{ doubled: 4 }]);
      expect((await marked(5).execute(db)).rows).toEqual([{ doubled: 10 }]);
      await sql`SELECT 1`.execute(db);
      // One connection: the view shows what this session prepared.
      const prepared = await sql<{ name: string; statement: string }>`
        SELECT name, statement FROM pg_prepared_statements
      `.execute(db);
      expect(prepared.rows).toHaveLength(1);
      expect(prepared.rows[0]!.name).toMatch(/^bl0_/);
      expect(prepared.rows[0]!.statement).toContain('doubled');
    } finally {
      await db.destroy();
    }
  });

  it('recovers when a migration changes the columns behind a prepared statement', async () => {
    const db = createDatabase({ url, max: 1 });
    try {
      await sql`CREATE TABLE prepared_probe (id int)`.execute(db);
      await sql`INSERT INTO prepared_probe VALUES (1)`.execute(db);
      const read = () => sql`${sql.raw(PREPARED)} SELECT * FROM prepared_probe`.execute(db);
      expect((await read()).rows).toEqual([{ id: 1 }]);
      await sql`ALTER TABLE prepared_probe ADD COLUMN note text DEFAULT 'new'`.execute(db);
      // PostgreSQL refuses the stale statement once; the next call prepares it afresh.
      await expect(read()).rejects.toMatchObject({ code: '0A000' });
      expect((await read()).rows).toEqual([{ id: 1, note: 'new' }]);
    } finally {
      await db.destroy();
    }
  });

  it("asks for a statement's row description once per connection, and reads its rows the same", async () => {
    const db = createDatabase({ url, max: 1 });
    const describe = vi.spyOn(
      pg.Connection.prototype as unknown as { describe(m: unknown): void },
      'describe',
    );
    try {
      const wide = (n: number) => sql<Record<string, unknown>>`${sql.raw(PREPARED)}
        SELECT ${n}::int AS n, now() - make_interval(days => ${n}::int) AS at, ARRAY['a', ${String(n)}]::text[] AS tags,
          jsonb_build_object('n', ${n}::int) AS config, NULL::text AS nothing, ${n}::bigint * 2 AS doubled`;
      const rows = [];
      for (const n of [1, 2, 3]) rows.push(...(await wide(n).execute(db)).rows);
      const none = (n: number) => sql`${sql.raw(PREPARED)} SELECT WHERE ${n}::int < 0`;
      expect((await none(1).execute(db)).rows).toEqual([]);
      expect((await none(2).execute(db)).rows).toEqual([]);
      // One Describe per statement: on its first execution.
      expect(describe).toHaveBeenCalledTimes(2);
      expect(rows.map((r) => [r.n, r.tags, r.config, r.nothing, r.doubled, r.at instanceof Date])).toEqual([
        [1, ['a', '1'], { n: 1 }, null, 2, true],
        [2, ['a', '2'], { n: 2 }, null, 4, true],
        [3, ['a', '3'], { n: 3 }, null, 6, true],
      ]);
    } finally {
      describe.mockRestore();
      await db.destroy();
    }
  });
});
