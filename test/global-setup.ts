import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { describeMissing, missingPrerequisites, testPrerequisites } from '../scripts/prerequisites.js';
import { createDatabase } from '../src/server/db/database.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/server/db/embedded.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { freePort } from './helpers/free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL to a maintenance database of the test server (to create and drop databases from). */
    adminDatabaseUrl: string;
    /** The migrated template that each test file's database is cloned from. */
    templateDatabase: string;
  }
}

// One PostgreSQL for the run: the embedded one, or TEST_DATABASE_URL's server.
export default async function setup(project: TestProject) {
  const missing = describeMissing(missingPrerequisites(testPrerequisites));
  if (missing) {
    // One line, not a stack trace: a fresh machine's first `npm test` should say what to install.
    process.stderr.write(`\nnpm test: ${missing}\n\n`);
    process.exit(1);
  }
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dataDir = await mkdtemp(join(tmpdir(), 'benchline-test-pg-'));
    embedded = await startEmbeddedPostgres(dataDir, await freePort());
    adminUrl = embedded.url;
  }
  const template = `benchline_template_${process.pid}`;
  const admin = createDatabase({ url: adminUrl, max: 1 });
  await sql`DROP DATABASE IF EXISTS ${sql.id(template)}`.execute(admin);
  await sql`CREATE DATABASE ${sql.id(template)}`.execute(admin);
  const templateDb = createDatabase({ url: withDatabase(adminUrl, template), max: 1 });
  await migrateToLatest(templateDb);
  await templateDb.destroy();
  await admin.destroy();

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);

  return async () => {
    const cleanup = createDatabase({ url: adminUrl, max: 1 });
    await sql`DROP DATABASE IF EXISTS ${sql.id(template)} WITH (FORCE)`.execute(cleanup).catch(() => {});
    await cleanup.destroy();
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
