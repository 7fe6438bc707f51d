// What the driver costs a transaction beyond its SQL, before and after src/server/db's
// deferred-begin.ts (BEGIN rides with the first statement) and described-query.ts (a named
// statement's RowDescription once per connection): CPU per transaction of this process and of its
// PostgreSQL backend, for a transaction shaped like a lifecycle's (a prepared write returning a
// 36-column row like `job`'s, a prepared read, COMMIT), through createDatabase and through a pool
// as it was before (named statements described every time, BEGIN alone), in interleaved blocks in
// one process. `npx tsx bench/transaction-begin.ts`; BENCH_DATABASE_URL as
// for the other benches.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createDatabase, type Database } from '../src/server/db/database.js';
import { PREPARED } from '../src/server/db/prepared-statements.js';
import type { DB } from '../src/server/db/schema.js';
import { type Figure, scratchDatabase } from './_shared.js';

const TRANSACTIONS = Number(process.env.BENCH_TRANSACTIONS ?? 2000);
const BLOCKS = 6;

/** The pool as it was before: marked statements named (prepared-statements.ts before), nothing else. */
function before(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 1, options: '-c jit=off' });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
      if (typeof callback !== 'function' && typeof text === 'string' && text.startsWith(PREPARED)) {
        return query({ name: `before_${createHash('sha1').update(text).digest('hex')}`, text, values });
      }
      return query(text, values, callback);
    }) as typeof client.query;
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** Columns like `job`'s: timestamps, ids, text, jsonb, a text array. */
const WIDE = Array.from({ length: 36 }, (_, i) => {
  const type = ['timestamptz', 'uuid', 'text', 'int', 'jsonb', 'text[]'][i % 6];
  return `c${i} ${type}`;
}).join(', ');

async function backendMs(db: Database): Promise<() => Promise<number>> {
  const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db);
  const pid = rows[0]!.pid;
  return async () => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
}

async function block(db: Database, ticks: () => Promise<number>): Promise<{ node: number; pg: number }> {
  const node0 = process.cpuUsage();
  const pg0 = await ticks();
  for (let i = 0; i < TRANSACTIONS; i++) {
    await db.transaction().execute(async (trx) => {
      await sql`${sql.raw(PREPARED)} INSERT INTO probe (n, c0, c1, c2, c4, c5) VALUES (${i}, now(), gen_random_uuid(), ${'x'}, '{"a": 1}', '{a,b}') ON CONFLICT (n) DO UPDATE SET c2 = excluded.c2 RETURNING *`.execute(
        trx,
      );
      await sql`${sql.raw(PREPARED)} SELECT count(*)::int AS c FROM probe WHERE n = ${i}`.execute(trx);
    });
  }
  const node = process.cpuUsage(node0);
  return {
    node: (node.user + node.system) / 1000 / TRANSACTIONS,
    pg: ((await ticks()) - pg0) / TRANSACTIONS,
  };
}

export async function run(): Promise<Figure[]> {
  const scratch = await scratchDatabase('benchline_bench_begin');
  const pipelined = createDatabase({ url: scratch.url, max: 1 });
  const alone = before(scratch.url);
  try {
    await sql.raw(`CREATE TABLE probe (n int PRIMARY KEY, ${WIDE})`).execute(pipelined);
    const sides = [
      {
        name: 'before (BEGIN alone, Describe every time)',
        db: alone,
        ticks: await backendMs(alone),
        runs: [] as Array<{ node: number; pg: number }>,
      },
      {
        name: 'after (createDatabase)',
        db: pipelined,
        ticks: await backendMs(pipelined),
        runs: [] as Array<{ node: number; pg: number }>,
      },
    ];
    for (const side of sides) await block(side.db, side.ticks); // warm-up
    for (let b = 0; b < BLOCKS; b++)
      for (const side of sides) side.runs.push(await block(side.db, side.ticks));
    const median = (xs: number[]) => [...xs].sort((a, c) => a - c)[Math.floor(xs.length / 2)] ?? 0;
    return sides.flatMap((side) => [
      {
        name: `${side.name}: Node CPU per transaction (median of ${BLOCKS} × ${TRANSACTIONS})`,
        value: median(side.runs.map((r) => r.node)) * 1000,
        unit: 'µs',
        goal: '',
      },
      {
        name: `${side.name}: PostgreSQL CPU per transaction`,
        value: median(side.runs.map((r) => r.pg)) * 1000,
        unit: 'µs',
        goal: '',
      },
    ]);
  } finally {
    await pipelined.destroy();
    await alone.destroy();
    await scratch.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run()) console.log(`${f.name}: ${f.value.toFixed(0)} ${f.unit}`);
  process.exit(0);
}
