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

const encode = (row: Keyed) =>
  Buffer.from(JSON.stringify([row.created_at.toISOString(), row.id])).toString('base64url');

function decode(cursor: string): [Date, string] {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(time);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string') throw new Error();
    return [date, id];
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
      let q = query;
      const forward = order === 'asc' ? '>' : '<';
      const backward = order === 'asc' ? '<' : '>';
      if (after) {
        const [t, i] = decode(after);
        q = q.where(sql<boolean>`(${time}, ${id}) ${sql.raw(forward)} (${t}, ${i})`);
      }
      if (before) {
        const [t, i] = decode(before);
        q = q.where(sql<boolean>`(${time}, ${id}) ${sql.raw(backward)} (${t}, ${i})`);
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
