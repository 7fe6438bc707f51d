import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
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
});
