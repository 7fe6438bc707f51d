// What a transaction's own BEGIN costs, and what sending it with the first statement saves
// (src/server/db/deferred-begin.ts): CPU per transaction of this process and of its PostgreSQL
// backend, for a transaction shaped like a lifecycle's (a prepared write, a prepared read, COMMIT),
// with BEGIN pipelined (createDatabase) and sent alone (the same pool without deferBegin), in
// interleaved blocks in one process. `npx tsx bench/transaction-begin.ts`; BENCH_DATABASE_URL as
// for the other benches.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createDatabase, type Database } from '../src/server/db/database.js';
import { PREPARED, usePreparedStatements } from '../src/server/db/prepared-statements.js';
import type { DB } from '../src/server/db/schema.js';
import { type Figure, scratchDatabase } from './_shared.js';

const TRANSACTIONS = Number(process.env.BENCH_TRANSACTIONS ?? 2000);
const BLOCKS = 6;

/** The pool as it was before deferred BEGIN: prepared statements only. */
function beginAlone(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 1, options: '-c jit=off' });
  pool.on('connect', (client) => usePreparedStatements(client));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

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
      await sql`${sql.raw(PREPARED)} INSERT INTO probe (n, note) VALUES (${i}, ${'x'}) ON CONFLICT (n) DO UPDATE SET note = excluded.note`.execute(
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
  const alone = beginAlone(scratch.url);
  try {
    await sql`CREATE TABLE probe (n int PRIMARY KEY, note text)`.execute(pipelined);
    const sides = [
      {
        name: 'BEGIN sent alone',
        db: alone,
        ticks: await backendMs(alone),
        runs: [] as Array<{ node: number; pg: number }>,
      },
      {
        name: 'BEGIN with the first statement',
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
