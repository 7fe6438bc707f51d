import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, inject } from 'vitest';
import { createDatabase, type Database } from '../../src/server/db/database.js';
import { withDatabase } from '../global-setup.js';

export interface TestDatabase {
  db: Database;
  url: string;
  name: string;
}

/**
 * A fresh database cloned from the migrated template, dropped after the file's tests.
 * Call at the top level of a test file (it registers an afterAll).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const template = inject('templateDatabase');
  const name = `benchline_test_${randomBytes(6).toString('hex')}`;
  const admin = createDatabase({ url: adminUrl, max: 1 });
  for (let attempt = 0; ; attempt++) {
    try {
      await sql`CREATE DATABASE ${sql.id(name)} TEMPLATE ${sql.id(template)}`.execute(admin);
      break;
    } catch (error) {
      // Two files cloning the template at the same moment: PostgreSQL refuses one; try again.
      if (attempt > 50 || !String(error).includes('being accessed by other users')) throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  await admin.destroy();
  const url = withDatabase(adminUrl, name);
  const db = createDatabase({ url, max: 10 });
  afterAll(async () => {
    await db.destroy();
    const cleanup = createDatabase({ url: adminUrl, max: 1 });
    await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(cleanup);
    await cleanup.destroy();
  });
  return { db, url, name };
}
