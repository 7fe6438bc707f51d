// What every bench shares: the figure it reports to bench/run-all.ts, and the PostgreSQL server it
// makes its scratch databases on.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createDatabase } from '../src/server/db/database.js';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  goal: string;
  /** The anchor measured in the same run (graphile-worker, docker-registry, bare host, …). */
  anchor?: number;
  anchorName?: string;
  ratio?: number;
}

export const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** A database created now and dropped by the returned function. */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = createDatabase({ url: ADMIN_URL, max: 1 });
  await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin);
  await admin.destroy();
  return {
    url: withDatabase(ADMIN_URL, name),
    async drop() {
      const cleanup = createDatabase({ url: ADMIN_URL, max: 1 });
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(cleanup);
      await cleanup.destroy();
    },
  };
}
