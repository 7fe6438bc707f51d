import { type ResolveCursorConnectionArgs, resolveCursorConnection } from '@pothos/plugin-relay';
import { type SelectQueryBuilder, sql } from 'kysely';
import { badInput } from '../errors.js';

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

interface Keyed {
  id: string;
  created_at: Date;
}

// PostgreSQL keeps microseconds and a JS Date only milliseconds, so the cursor carries the
// database's own text form of the time: rows created in the same millisecond keep their order.
type WithCursor = Keyed & { _cursor_time: string };

const encode = (row: Keyed) =>
  Buffer.from(JSON.stringify([(row as WithCursor)._cursor_time, row.id])).toString('base64url');

function decode(cursor: string): [string, string] {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    if (typeof time !== 'string' || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?[+-]\d\d(:\d\d)?$/.test(time)) {
      throw new Error('bad time');
    }
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('bad id');
    return [time, id];
  } catch {
    throw badInput('the cursor is not one this server gave out; start again without after/before', 'after');
  }
}

/**
 * Keyset pagination over (created_at, id) of `table`, newest first by default: stable under
 * inserts, one index range scan per page whatever the page number.
 */
export function paginate<Row extends Keyed>(
  args: PageArgs,
  query: SelectQueryBuilder<any, any, Row>,
  table: string,
  order: 'asc' | 'desc' = 'desc',
) {
  if ((args.first ?? 0) > 500 || (args.last ?? 0) > 500)
    throw badInput('ask for at most 500 items a page', 'first');
  const time = sql.ref(`${table}.created_at`);
  const id = sql.ref(`${table}.id`);
  return resolveCursorConnection(
    { args, toCursor: encode, defaultSize: 50, maxSize: 500 },
    async ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) => {
      let q = query.select(sql<string>`${time}::text`.as('_cursor_time')) as typeof query;
      const forward = order === 'asc' ? '>' : '<';
      const backward = order === 'asc' ? '<' : '>';
      if (after) {
        const [t, i] = decode(after);
        q = q.where(sql<boolean>`(${time}, ${id}) ${sql.raw(forward)} (${t}::timestamptz, ${i}::uuid)`);
      }
      if (before) {
        const [t, i] = decode(before);
        q = q.where(sql<boolean>`(${time}, ${id}) ${sql.raw(backward)} (${t}::timestamptz, ${i}::uuid)`);
      }
      const direction = (order === 'asc') !== inverted ? 'asc' : 'desc';
      return q
        .orderBy(sql`${time}`, direction)
        .orderBy(sql`${id}`, direction)
        .limit(limit)
        .execute() as Promise<Row[]>;
    },
  );
}
