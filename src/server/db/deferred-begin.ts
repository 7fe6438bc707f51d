import pg from 'pg';

type Run = (...args: unknown[]) => unknown;

/** What kysely's `begin` / `commit` / `rollback` resolve to when nothing had to be sent. */
const nothingSent = (command: string) => ({ command, rowCount: null, oid: null, rows: [], fields: [] });

interface QueryConfig {
  text: string;
  name?: string;
  values?: unknown[];
}

/**
 * A transaction's BEGIN travels with its first statement instead of alone: one write and one round
 * trip fewer per transaction (a lifecycle has two: createRun's and completeJob's). A round trip
 * costs both processes a wake-up and a socket syscall each way, whatever the statement does.
 *
 * kysely's `begin` is answered at once and remembered; the next statement on the connection goes
 * out as one pipeline, Parse/Bind/Execute of BEGIN then the statement's own messages and its Sync,
 * so PostgreSQL runs both in order and answers once. A transaction that sent nothing commits or
 * rolls back without a round trip. Errors keep their meaning: a failed statement leaves the
 * transaction open and aborted, and kysely's ROLLBACK follows as before.
 *
 * Only statements that go out in the extended protocol anyway (with parameters, or named) are
 * pipelined; any other first statement (plain text, a callback, a cursor) has the BEGIN sent ahead
 * of it in the queue, as before. Install before usePreparedStatements, which then wraps this.
 */
export function deferBegin(client: pg.ClientBase): void {
  const query = client.query.bind(client) as Run;
  let deferred = false;
  client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof callback !== 'function' && typeof values !== 'function' && typeof config === 'string') {
      const text = config;
      if (text === 'begin' && !deferred) {
        deferred = true;
        return Promise.resolve(nothingSent('BEGIN'));
      }
      if ((text === 'commit' || text === 'rollback') && deferred) {
        deferred = false;
        return Promise.resolve(nothingSent(text.toUpperCase()));
      }
    }
    if (!deferred) return query(config, values, callback);
    deferred = false;
    const statement = pipelinable(config, values, callback);
    if (!statement) {
      // pg sends its queue in order: the BEGIN goes out ahead of this statement, a round trip of its own.
      (query('BEGIN') as Promise<unknown>).catch(() => {});
      return query(config, values, callback);
    }
    return withBegin(client, query, statement);
  }) as pg.ClientBase['query'];
}

function pipelinable(config: unknown, values: unknown, callback: unknown): QueryConfig | undefined {
  if (typeof callback === 'function' || typeof values === 'function') return undefined;
  if (typeof config === 'string') {
    return Array.isArray(values) && values.length > 0 ? { text: config, values } : undefined;
  }
  if (!config || typeof config !== 'object' || 'submit' in config) return undefined;
  const c = config as QueryConfig & { rows?: unknown; rowMode?: unknown; types?: unknown };
  if (typeof c.text !== 'string' || c.rows !== undefined || c.rowMode !== undefined || c.types !== undefined)
    return undefined;
  const params = c.values ?? (Array.isArray(values) ? values : undefined);
  if (!c.name && !(params && params.length > 0)) return undefined;
  return { text: c.text, name: c.name, values: params };
}

interface Connection {
  stream: { cork(): void; uncork(): void };
  parsedStatements: Record<string, string>;
  parse(message: { text: string; name?: string }): void;
  bind(message: Record<string, unknown>): void;
  execute(message: Record<string, unknown>): void;
}

/** Runs `statement` with BEGIN ahead of it in the same pipeline; resolves to the statement's own result. */
function withBegin(client: pg.ClientBase, query: Run, statement: QueryConfig): Promise<unknown> {
  const connection = (client as unknown as { connection: Connection }).connection;
  // BEGIN's ParseComplete reaches the statement's handler, which pg takes as the statement's own
  // Parse succeeding: undone below when the statement then fails.
  const parsedBefore = statement.name ? statement.name in connection.parsedStatements : true;
  return new Promise((resolve, reject) => {
    const pgQuery = new pg.Query(statement, undefined, (error: Error | undefined, result: unknown) => {
      if (error) {
        if (!parsedBefore && statement.name) delete connection.parsedStatements[statement.name];
        reject(error);
        return;
      }
      // BEGIN's CommandComplete makes pg keep two results: BEGIN's, then the statement's.
      resolve(Array.isArray(result) ? result[result.length - 1] : result);
    });
    const submit = pgQuery.submit.bind(pgQuery) as unknown as (c: Connection) => Error | null;
    (pgQuery as unknown as { submit(c: Connection): Error | null }).submit = (c: Connection) => {
      c.stream.cork();
      try {
        c.parse({ text: 'BEGIN' });
        c.bind({});
        c.execute({});
        return submit(c);
      } finally {
        c.stream.uncork();
      }
    };
    query(pgQuery);
  });
}
