import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { deferBegin } from './deferred-begin.js';
import { usePreparedStatements } from './prepared-statements.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;

// bigint (int8) columns are byte sizes and counts well inside 2^53; read them as numbers.
pg.types.setTypeParser(20, (value) => Number(value));

export interface DatabaseOptions {
  url: string;
  max?: number;
  onError?: (error: Error) => void;
  /** Sees every statement's SQL text and parameters (tests count statements and explain them with it). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
}

export function createDatabase({ url, max = 20, onError, onQuery }: DatabaseOptions): Database {
  // JIT compiles a statement whose estimated cost is high, taking 100–200 ms (measured on a claim
  // over a long queue) to save less than that on the short statements a request makes.
  const pool = new pg.Pool({ connectionString: url, max, options: '-c jit=off' });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', (error) => onError?.(error));
  // A client checked out of the pool (a transaction between statements) has no pool listener: if its
  // connection dies then, pg emits an unhandled 'error' that kills the process. The next statement on it
  // fails instead, and the pool drops the client on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    deferBegin(client);
    usePreparedStatements(client);
  });
  return new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: onQuery ? (event) => onQuery(event.query.sql, event.query.parameters) : undefined,
  });
}
