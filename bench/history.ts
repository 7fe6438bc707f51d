// Years of history should cost what a week costs. Two servers in this process, each on its own
// scratch database with a 20-benchmark project: one grown to H = 100 earlier runs, one to H = 50,000
// (HISTORY_RUNS; three years at one run per 30 minutes: 1M metrics, boundaries, ~5,000 alerts), grown
// in bulk SQL as processResults leaves them (test/helpers/history.ts). Measured in the same run,
// small and large interleaved so the machine's load falls on both alike:
//   - `benchline run` (plain mode) wall time: results, thresholds over capped history, the sparklines;
//   - the console's whole-history perf request (its own document, resolution 600: a 1,200 px plot):
//     time and bytes;
//   - the console's report page request for the newest report;
// and the plans of the perf statements at that size (no sequential scan of metric).
// `npx tsx bench/history.ts`; growing 50,000 runs takes several minutes on the shared 2-core machine.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { print } from 'graphql';
import { CompiledQuery } from 'kysely';
import { PerfQuery, ReportQuery } from '../src/console/src/api/documents.js';
import { type RunningServer, startServer } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createDatabase, type Database } from '../src/server/db/database.js';
import { perfSeries } from '../src/server/results/perf.js';
import { addThreshold, growHistory, historyScope } from '../test/helpers/history.js';
import { type Figure, percentile, scratchDatabase } from './_shared.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const LARGE = Number(process.env.HISTORY_RUNS ?? 50_000);
const SMALL = 100;
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const RESOLUTION = 600;
const BMF = JSON.stringify(
  Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [
      `bench_${String(i).padStart(2, '0')}`,
      { latency: { value: 1000 + 37 * i } },
    ]),
  ),
);

interface Side {
  runs: number;
  server: RunningServer;
  db: Database;
  statements: Array<{ sql: string; parameters: readonly unknown[] }>;
  drop(): Promise<void>;
}

async function benchlineRun(host: string): Promise<number> {
  const start = performance.now();
  await promisify(execFile)(
    'node',
    ['bin/benchline.js', 'run', '--project', 'history', '--adapter', 'json', `printf '%s' '${BMF}'`],
    { cwd: root, env: { ...process.env, BENCHLINE_HOST: host, CI: '1', XDG_CONFIG_HOME: '/nonexistent' } },
  );
  return performance.now() - start;
}

async function side(runs: number): Promise<Side> {
  const database = await scratchDatabase('bench_history');
  const statements: Side['statements'] = [];
  const config = loadConfig({ PORT: '0', DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  const server = await startServer({ config });
  await benchlineRun(server.url); // creates the project, its branch, testbed, measure and benchmarks
  const db = createDatabase({
    url: database.url,
    max: 2,
    onQuery: (sql, parameters) => statements.push({ sql, parameters }),
  });
  const scope = await historyScope(db, 'history');
  const started = performance.now();
  await growHistory(db, scope, await addThreshold(db, scope), runs);
  process.stderr.write(`  grew ${runs} runs in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  return {
    runs,
    server,
    db,
    statements,
    async drop() {
      await db.destroy();
      await server.stop();
      await database.drop();
    },
  };
}

async function graphql(host: string, query: string, variables: Record<string, unknown>) {
  const start = performance.now();
  const response = await fetch(`${host}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const ms = performance.now() - start;
  const body = JSON.parse(text) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 300)}`);
  return { ms, bytes: Buffer.byteLength(text), data: body.data };
}

const perfDocument = print(PerfQuery);
const reportDocument = print(ReportQuery);
const wholeHistory = {
  project: 'history',
  benchmarks: ['bench_00'],
  measures: ['latency'],
  branches: ['main'],
  testbeds: ['localhost'],
  from: null,
  to: null,
  resolution: RESOLUTION,
};

/** EXPLAIN of every statement a perf call sends that reads metric; true when none scans it whole. */
async function plansUseIndexes(s: Side, call: () => Promise<unknown>): Promise<boolean> {
  s.statements.length = 0;
  // A whole 50,000-point series is more than one answer holds: the statement still ran, and is explained.
  await call().catch(() => undefined);
  let ok = true;
  for (const st of s.statements.filter((x) => /\bmetric\b/.test(x.sql))) {
    const { rows } = await s.db.executeQuery<{ 'QUERY PLAN': unknown }>(
      CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${st.sql}`, [...st.parameters]),
    );
    const plan = JSON.stringify(rows[0]['QUERY PLAN']);
    if (/"Seq Scan"[^}]*"Relation Name":"metric"/.test(plan) || !plan.includes('metric_series')) {
      process.stderr.write(`  plan without metric_series:\n${st.sql}\n${plan}\n`);
      ok = false;
    }
  }
  return ok;
}

export async function run(): Promise<Figure[]> {
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
  if (!existsSync(join(root, 'dist/src/cli/main.js')))
    throw new Error('tsc produced no dist/src/cli/main.js');
  const small = await side(SMALL);
  const large = await side(LARGE);
  try {
    const projectId = (await historyScope(large.db, 'history')).projectId;
    const plansOk =
      (await plansUseIndexes(large, () => perfSeries(large.db, { projectId, benchmarks: ['bench_00'] }))) &&
      (await plansUseIndexes(large, () =>
        perfSeries(large.db, { projectId, benchmarks: ['bench_00'], resolution: RESOLUTION }),
      )) &&
      (await plansUseIndexes(large, () =>
        perfSeries(large.db, {
          projectId,
          benchmarks: Array.from({ length: 20 }, (_, i) => `bench_${String(i).padStart(2, '0')}`),
          last: 12,
        }),
      ));

    const runMs = { small: [] as number[], large: [] as number[] };
    const perfMs = { small: [] as number[], large: [] as number[] };
    const reportMs = { small: [] as number[], large: [] as number[] };
    let perfBytes = 0;
    let sent = 0;
    let total = 0;
    await benchlineRun(small.server.url); // warm both: plans, caches, the CLI's files
    await benchlineRun(large.server.url);
    for (let i = 0; i < ROUNDS; i++) {
      for (const [name, s] of [
        ['small', small],
        ['large', large],
      ] as const) {
        runMs[name].push(await benchlineRun(s.server.url));
        const perf = await graphql(s.server.url, perfDocument, wholeHistory);
        perfMs[name].push(perf.ms);
        if (name === 'large') {
          perfBytes = perf.bytes;
          sent = perf.data.perf[0].points.length;
          total = perf.data.perf[0].total;
        }
        const newest = await s.db
          .selectFrom('report')
          .select('id')
          .orderBy('start_time', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
        reportMs[name].push((await graphql(s.server.url, reportDocument, { id: newest.id })).ms);
      }
    }
    const median = (v: number[]) =>
      percentile(
        [...v].sort((a, b) => a - b),
        50,
      );
    const spread = (v: number[]) => `${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)} ms`;
    const compare = (name: string, v: { small: number[]; large: number[] }, goal: string): Figure => ({
      name: `${name} at H=${LARGE} (spread ${spread(v.large)}; H=${SMALL} ${spread(v.small)})`,
      value: median(v.large),
      unit: 'ms',
      goal,
      anchor: median(v.small),
      anchorName: `H=${SMALL}`,
      ratio: median(v.large) / median(v.small),
    });
    return [
      compare('benchline run', runMs, '≤ 1.1× H=100'),
      compare(`console whole-history perf (${sent} of ${total} points sent)`, perfMs, '≤ 300 ms'),
      {
        name: `console whole-history perf response at H=${LARGE}`,
        value: perfBytes / 1024,
        unit: 'KiB',
        goal: '≤ 300 KB',
      },
      compare('console report page request', reportMs, 'flat'),
      {
        name: 'perf plans at 1M metrics use metric_series, no Seq Scan on metric',
        value: plansOk ? 1 : 0,
        unit: '',
        goal: '1',
      },
    ];
  } finally {
    await small.drop();
    await large.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run()) {
    const anchor =
      f.anchor === undefined
        ? ''
        : `  anchor ${f.anchorName} ${f.anchor.toFixed(0)} ${f.unit}  ratio ${f.ratio?.toFixed(2)}`;
    console.log(
      `history.${f.name}  ${f.value.toFixed(f.unit === 'KiB' ? 1 : 0)} ${f.unit}  (goal ${f.goal})${anchor}`,
    );
  }
  process.exit(0);
}
