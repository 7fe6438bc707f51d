import pg from 'pg';

/** What pg builds from a statement's RowDescription to read its rows. */
interface Description {
  fields: unknown[];
  parsers: unknown[] | undefined;
  empty: unknown;
}

/** A connection's descriptions of its named prepared statements, by name. */
export type Descriptions = Map<string, Description | null>;

interface QueryInternals {
  name: string;
  _result: { fields: unknown[]; _parsers: unknown[] | undefined; _prebuiltEmptyResultObject: unknown };
  _accumulateRows: boolean;
  hasBeenParsed(connection: unknown): boolean;
}

/**
 * A named prepared statement that asks PostgreSQL for its row description once per connection
 * instead of with every execution. pg sends Describe each time and, on the answer, builds a row
 * parser per column and a template row; for the wide `job` row a lifecycle's statements return
 * that is a RowDescription of ~40 columns for the server to send and for pg to read and build
 * from, every time. A prepared statement's columns cannot change under it (PostgreSQL refuses it
 * with 0A000, and prepared-statements.ts then prepares it under a new name), so the first answer
 * holds for every later execution on that connection.
 */
export class DescribedQuery extends pg.Query {
  constructor(
    config: { name: string; text: string; values?: unknown },
    callback: (error: Error | undefined, result: pg.QueryResult) => void,
    private readonly descriptions: Descriptions,
  ) {
    super(config as pg.QueryConfig, undefined, callback);
  }

  private described = false;

  prepare(connection: { describe(message: unknown): void }): void {
    const self = this as unknown as QueryInternals;
    const known = this.descriptions.get(self.name);
    if (known === undefined || !self.hasBeenParsed(connection)) {
      (pg.Query.prototype as unknown as { prepare(c: unknown): void }).prepare.call(this, connection);
      return;
    }
    if (known) {
      self._result.fields = known.fields;
      self._result._parsers = known.parsers;
      self._result._prebuiltEmptyResultObject = known.empty;
      self._accumulateRows = true;
    }
    this.described = true;
    const describe = connection.describe;
    connection.describe = () => {};
    try {
      (pg.Query.prototype as unknown as { prepare(c: unknown): void }).prepare.call(this, connection);
    } finally {
      connection.describe = describe;
    }
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    (pg.Query.prototype as unknown as { handleRowDescription(m: unknown): void }).handleRowDescription.call(
      this,
      message,
    );
    const self = this as unknown as QueryInternals;
    this.described = true;
    this.descriptions.set(self.name, {
      fields: self._result.fields,
      parsers: self._result._parsers,
      empty: self._result._prebuiltEmptyResultObject,
    });
  }

  handleReadyForQuery(connection: unknown): void {
    // Described, and no RowDescription came: the statement returns no rows (NoData).
    if (!this.described) this.descriptions.set((this as unknown as QueryInternals).name, null);
    (pg.Query.prototype as unknown as { handleReadyForQuery(c: unknown): void }).handleReadyForQuery.call(
      this,
      connection,
    );
  }
}
