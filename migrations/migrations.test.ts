import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest } from '../src/server/db/migrate.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { migrations } from './index.js';

const { db } = await createTestDatabase();

async function tables(): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%' ORDER BY table_name`.execute(db);
  return rows.rows.map((r) => r.table_name);
}

describe('migrations', () => {
  it('go all the way down and back up again', async () => {
    const before = await tables();
    expect(before).toContain('job');
    for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(db);
    expect(await tables()).toEqual([]);
    const applied = await migrateToLatest(db);
    expect(applied).toEqual(Object.keys(migrations));
    expect(await tables()).toEqual(before);
  });

  it('allow at most one default spec, in the database itself', async () => {
    await db
      .insertInto('spec')
      .values({ name: 'a', slug: 'a', cpu: 1, memory: 1, disk: 1, is_default: new Date() })
      .execute();
    await expect(
      db
        .insertInto('spec')
        .values({ name: 'b', slug: 'b', cpu: 1, memory: 1, disk: 1, is_default: new Date() })
        .execute(),
    ).rejects.toThrow(/spec_single_default/);
  });
});
