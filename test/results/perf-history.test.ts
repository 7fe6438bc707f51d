import { CompiledQuery, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/server/db/database.js';
import { BenchlineError } from '../../src/server/errors.js';
import { downsample, type SamplePoint } from '../../src/server/results/downsample.js';
import { type PerfPoint, type PerfQuery, perfSeries } from '../../src/server/results/perf.js';
import { createTestDatabase } from '../helpers/database.js';
import { addThreshold, growHistory, type HistoryScope } from '../helpers/history.js';
import { createTenant } from '../queue/fixtures.js';

// perf over a long history, against the rule in downsample.ts and the plans PostgreSQL picks.
const RUNS = 4_000;
const BENCHMARKS = 5;

const database = await createTestDatabase();
const statements: Array<{ sql: string; parameters: readonly unknown[] }> = [];
const db = createDatabase({
  url: database.url,
  max: 4,
  onQuery: (text, parameters) => statements.push({ sql: text, parameters }),
});
let scope: HistoryScope;
let query: PerfQuery;

beforeAll(async () => {
  const tenant = await createTenant(database.db, 'FREE');
  const measure = await database.db
    .insertInto('measure')
    .values({ project_id: tenant.projectId, name: 'Latency', slug: 'latency', units: 'ns' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const benchmarks = await database.db
    .insertInto('benchmark')
    .values(
      Array.from({ length: BENCHMARKS }, (_, i) => ({
        project_id: tenant.projectId,
        name: `b${i}`,
        slug: `b${i}`,
      })),
    )
    .returning('id')
    .execute();
  scope = {
    projectId: tenant.projectId,
    branchId: tenant.branchId,
    testbedId: tenant.testbedId,
    measureId: measure.id,
    benchmarkIds: benchmarks.map((b) => b.id),
  };
  await growHistory(database.db, scope, await addThreshold(database.db, scope), RUNS);
  query = { projectId: scope.projectId, benchmarks: ['b0'] };
}, 240_000);

const us = (p: PerfPoint) => p.time.getTime() * 1000;
const sample = (p: PerfPoint): PerfPoint & SamplePoint =>
  ({ ...p, time: us(p), alert: p.alert !== null }) as unknown as PerfPoint & SamplePoint;
const ids = (points: readonly { metricId: string }[]) => points.map((p) => p.metricId);

describe('perf over a long history', () => {
  it("sends each column's lowest and highest point, the ends and every alert, as downsample() picks them", async () => {
    const [whole] = await perfSeries(db, query);
    expect(whole.points).toHaveLength(RUNS);
    const [sampled] = await perfSeries(db, { ...query, resolution: 100 });
    expect(sampled.total).toBe(RUNS);
    expect(ids(sampled.points)).toEqual(ids(downsample(whole.points.map(sample), 100)));
    const alerts = whole.points.filter((p) => p.alert);
    expect(alerts.length).toBeGreaterThan(0);
    expect(ids(sampled.points)).toEqual(expect.arrayContaining(ids(alerts)));
    expect(sampled.points.length).toBeLessThanOrEqual(2 * 100 + 2 + alerts.length);
    // The sent points are the stored ones, with their limits and alerts.
    const byId = new Map(whole.points.map((p) => [p.metricId, p]));
    for (const p of sampled.points) expect(p).toEqual(byId.get(p.metricId));
  });

  it('sends a zoomed range whole once it fits the resolution', async () => {
    const [whole] = await perfSeries(db, query);
    const from = whole.points[1_000].time;
    const to = whole.points[1_149].time;
    const [zoomed] = await perfSeries(db, { ...query, from, to, resolution: 100 });
    expect(zoomed.total).toBe(150);
    expect(ids(zoomed.points)).toEqual(ids(whole.points.slice(1_000, 1_150)));
    const [wider] = await perfSeries(db, { ...query, from, to: whole.points[2_999].time, resolution: 100 });
    expect(wider.total).toBe(2_000);
    expect(ids(wider.points)).toEqual(ids(downsample(whole.points.slice(1_000, 3_000).map(sample), 100)));
  });

  it('downsamples only the newest N points when asked for both', async () => {
    const [whole] = await perfSeries(db, query);
    const [newest] = await perfSeries(db, { ...query, last: 1_000, resolution: 50 });
    expect(newest.total).toBe(1_000);
    expect(ids(newest.points)).toEqual(ids(downsample(whole.points.slice(-1_000).map(sample), 50)));
  });

  it('shares the point budget between the series asked for, each downsampled on its own', async () => {
    const series = await perfSeries(db, { ...query, benchmarks: ['b0', 'b1', 'b2'], resolution: 5_000 });
    expect(series.map((s) => s.total)).toEqual([RUNS, RUNS, RUNS]);
    for (const s of series) {
      const [whole] = await perfSeries(db, { ...query, benchmarks: [s.benchmarkId] });
      // 20,000 points among 3 series, a fifth kept for ends and alerts: 2,666 columns each.
      expect(ids(s.points)).toEqual(ids(downsample(whole.points.map(sample), 2_666)));
    }
  });

  it('refuses a resolution outside 1…5,000 and changes nothing', async () => {
    for (const resolution of [0, -1, 5_001, 1.5]) {
      const error = await perfSeries(db, { ...query, resolution }).catch((e: unknown) => e);
      expect(error instanceof BenchlineError && error.code).toBe('BAD_INPUT');
    }
  });

  it('reads a downsampled or newest-N series from the indexes: no sequential scan of metric, boundary or alert', async () => {
    const plans: string[] = [];
    const explain = async (call: () => Promise<unknown>) => {
      statements.length = 0;
      await call();
      // The tables hold what every suite sharing this database left (a few dozen alerts, say), where
      // a scan is the cheaper plan; with scans priced out, one appears only if no index can serve.
      await db.transaction().execute(async (trx) => {
        await trx.executeQuery(CompiledQuery.raw('SET LOCAL enable_seqscan = off'));
        for (const s of statements.filter((x) => /\b(metric|alert)\b/.test(x.sql))) {
          const result = await trx.executeQuery<{ 'QUERY PLAN': unknown }>(
            CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${s.sql}`, [...s.parameters]),
          );
          plans.push(JSON.stringify(result.rows[0]['QUERY PLAN']));
          if (process.env.SHOW_PLANS)
            console.log(s.sql, JSON.stringify(result.rows[0]['QUERY PLAN'], null, 1));
        }
      });
    };
    await explain(() => perfSeries(db, { ...query, resolution: 100 }));
    await explain(() => perfSeries(db, { ...query, benchmarks: ['b0', 'b1'], last: 12 }));
    await explain(() => perfSeries(db, query));
    // The bucket pass, the alerts, the picked points; the newest 12; the whole series.
    expect(plans.length).toBe(5);
    // A downsampled or newest-N read costs what it sends: index probes per series and per point sent.
    // (A whole series that is a fifth of this small table may be read by scanning it; bench/history.ts
    // checks that plan at 50,000 points per series and 1M metrics.)
    for (const plan of plans.slice(0, 4)) {
      expect(plan).not.toMatch(/"Seq Scan"[^}]*"Relation Name":"(metric|boundary|alert)"/);
    }
    expect(plans.slice(0, 4).filter((p) => p.includes('"Index Name":"metric_series"'))).toHaveLength(3);
    expect(plans.filter((p) => p.includes('"Index Name":"alert_series"'))).toHaveLength(1);
    // The bucket pass reads the index alone.
    expect(plans[0]).toContain('"Node Type":"Index Only Scan"');
  });
});

describe('alert_series', () => {
  it("copies the alert's metric series key, time and iteration, whoever inserts the alert", async () => {
    const { rows } = await sql<{ n: number; wrong: number }>`
      SELECT count(*)::int AS n,
             count(*) FILTER (WHERE a.metric_branch_id IS DISTINCT FROM m.branch_id
               OR a.metric_testbed_id IS DISTINCT FROM m.testbed_id OR a.metric_benchmark_id IS DISTINCT FROM m.benchmark_id
               OR a.metric_measure_id IS DISTINCT FROM m.measure_id OR a.metric_time IS DISTINCT FROM m.time
               OR a.metric_iteration IS DISTINCT FROM m.iteration)::int AS wrong
      FROM alert a JOIN boundary b ON b.id = a.boundary_id JOIN metric m ON m.id = b.metric_id
      WHERE a.project_id = ${scope.projectId}::uuid
    `.execute(db);
    expect(rows[0].n).toBeGreaterThan(0);
    expect(rows[0].wrong).toBe(0);
  });
});
