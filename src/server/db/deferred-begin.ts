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
    // A query object already made (usePreparedStatements makes its named statements' own).
    if (config instanceof pg.Query && pipelines(config)) return query(withBegin(client, config));
    const statement = pipelinable(config, values, callback);
    if (!statement) {
      // pg sends its queue in order: the BEGIN goes out ahead of this statement, a round trip of its own.
      (query('BEGIN') as Promise<unknown>).catch(() => {});
      return query(config, values, callback);
    }
    return new Promise((resolve, reject) => {
      const made = new pg.Query(statement, undefined, (error: Error | undefined, result: unknown) =>
        error ? reject(error) : resolve(result),
      );
      query(withBegin(client, made));
    });
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

/** A query object goes out in the extended protocol when it is named or has parameters. */
function pipelines(query: pg.Query): boolean {
  const q = query as unknown as { name?: string; values?: unknown[]; rows?: unknown };
  return q.rows === undefined && (Boolean(q.name) || (q.values?.length ?? 0) > 0);
}

interface Connection {
  stream: { cork(): void; uncork(): void };
  parsedStatements: Record<string, string>;
  parse(message: { text: string; name?: string }): void;
  bind(message: Record<string, unknown>): void;
  execute(message: Record<string, unknown>): void;
}

interface Pipelined {
  name?: string;
  callback?: (error: Error | undefined, result: unknown) => void;
  submit(connection: Connection): Error | null;
  handleCommandComplete(message: unknown, connection: Connection): void;
}

/**
 * Makes `query` send Parse/Bind/Execute of BEGIN ahead of its own messages, in one write: its Sync
 * then ends both. BEGIN's answer (ParseComplete, BindComplete, CommandComplete) reaches the query's
 * handlers first and is passed over, so the query's result is its own.
 */
function withBegin(client: pg.ClientBase, query: pg.Query): pg.Query {
  const q = query as unknown as Pipelined;
  const connection = (client as unknown as { connection: Connection }).connection;
  // BEGIN's ParseComplete is taken by pg as the statement's own Parse succeeding: undone when the
  // statement then fails, so a statement that did not parse is parsed again next time.
  const parsedBefore = q.name ? q.name in connection.parsedStatements : true;
  const callback = q.callback;
  q.callback = (error, result) => {
    if (error && !parsedBefore && q.name) delete connection.parsedStatements[q.name];
    callback?.(error, result);
  };
  let begun = false;
  const complete = q.handleCommandComplete.bind(q);
  q.handleCommandComplete = (message, c) => {
    if (begun) complete(message, c);
    begun = true;
  };
  const submit = q.submit.bind(q);
  q.submit = (c) => {
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
  return query;
}
