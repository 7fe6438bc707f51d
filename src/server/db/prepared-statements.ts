import { createHash } from 'node:crypto';
import type pg from 'pg';
import { DescribedQuery, type Descriptions } from './described-query.js';

/**
 * Put at the very start of a statement's SQL to run it as a named prepared statement: PostgreSQL
 * then parses and plans it once per connection instead of on every call. Meant for the hot,
 * fixed-text statements of the runner protocol (a claim's plan costs more than its execution);
 * a statement whose text varies with its input would leave a prepared statement per variant.
 */
export const PREPARED = '/* prepared */';

type Query = pg.ClientBase['query'];

// Statement text → its name; marked statements are a small fixed set, so this stays small.
const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = createHash('sha1').update(text).digest('base64url').slice(0, 20);
    names.set(text, name);
  }
  return name;
}
type Run = (...args: unknown[]) => Promise<unknown>;

// PostgreSQL refuses a prepared statement whose result columns changed under it (a migration added
// a column to a table behind `RETURNING *`).
const STALE_PLAN = '0A000';

/** Routes a connection's marked statements to named prepared statements (pg prepares each once). */
export function usePreparedStatements(client: pg.ClientBase): void {
  const query = client.query.bind(client) as Run;
  // Bumped when a statement went stale, so later calls prepare under new names; the stale ones
  // stay on this connection unused (DEALLOCATE would fail inside the aborted transaction).
  let generation = 0;
  const descriptions: Descriptions = new Map();
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof callback !== 'function' && typeof text === 'string' && text.trimStart().startsWith(PREPARED)) {
      const name = `bl${generation}_${nameOf(text)}`;
      return new Promise((resolve, reject) => {
        const statement = new DescribedQuery(
          { name, text, values },
          (error, result) => {
            if (error && (error as { code?: string }).code === STALE_PLAN) generation++;
            if (error) reject(error);
            else resolve(result);
          },
          descriptions,
        );
        query(statement);
      });
    }
    return query(text, values, callback);
  }) as Query;
}
