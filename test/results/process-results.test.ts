import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/server/db/database.js';
import { BenchlineError } from '../../src/server/errors.js';
import { insertResults } from '../../src/server/results/insert-rows.js';
import type { ParseSettings } from '../../src/server/results/parse-output.js';
import { processResults } from '../../src/server/results/process-results.js';
import { upsertThreshold } from '../../src/server/results/threshold-store.js';
import { createTestDatabase } from '../helpers/database.js';
import { createReport, createTenant, type Tenant } from '../queue/fixtures.js';

// Result processing is most of a job completion's statements; this pins them, and the semantics the
// few statements have to keep (find-or-create of measures and benchmarks, a report processed once).
const { db, url } = await createTestDatabase();
const statements: string[] = [];
const counting = createDatabase({ url, max: 4, onQuery: (text) => statements.push(text.trim()) });
afterAll(() => counting.destroy());

const JSON_MEAN: ParseSettings = { adapter: 'json', average: 'MEAN', fold: null };
const output = (benchmarks: Record<string, Record<string, number>>) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(benchmarks).map(([name, measures]) => [
        name,
        Object.fromEntries(Object.entries(measures).map(([slug, value]) => [slug, { value }])),
      ]),
    ),
  );

const report = (tenant: Tenant, startTime = new Date()) => createReport(db, tenant, 'json', startTime);

/** processResults in a transaction; returns its statements (without begin and commit) and outcome. */
async function processed(reportId: string, results: string[], parse: ParseSettings | null = JSON_MEAN) {
  statements.length = 0;
  const summary = await counting
    .transaction()
    .execute((trx) => processResults(trx, { reportId, results, now: new Date(), parse: parse ?? undefined }));
  return { summary, statements: statements.filter((s) => s !== 'begin' && s !== 'commit') };
}

async function failure(promise: Promise<unknown>): Promise<BenchlineError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BenchlineError);
  return error as BenchlineError;
}

async function metricsOf(reportId: string) {
  return db
    .selectFrom('metric')
    .innerJoin('measure', 'measure.id', 'metric.measure_id')
    .innerJoin('benchmark', 'benchmark.id', 'metric.benchmark_id')
    .select(['benchmark.name as benchmark', 'measure.slug as measure', 'metric.value', 'metric.measure_id'])
    .where('metric.report_id', '=', reportId)
    .orderBy('benchmark.name')
    .orderBy('measure.slug')
    .execute();
}

/** A threshold on the tenant's only measure, with only an upper boundary. */
async function thresholdOnOnlyMeasure(tenant: Tenant, test: 'STATIC' | 'PERCENTAGE', upperBoundary: number) {
  const measure = await db
    .selectFrom('measure')
    .select('id')
    .where('project_id', '=', tenant.projectId)
    .executeTakeFirstOrThrow();
  const key = { projectId: tenant.projectId, branchId: tenant.branchId, testbedId: tenant.testbedId };
  const params = { minSampleSize: null, maxSampleSize: null, windowSeconds: null, lowerBoundary: null };
  await upsertThreshold(
    db,
    { ...key, measureId: measure.id },
    { test, ...params, upperBoundary },
    new Date(),
  );
}

describe('processResults statements', () => {
  it('locks and reads in one statement and writes in one when measures and benchmarks exist', async () => {
    const tenant = await createTenant(db, 'FREE');
    const first = await processed(await report(tenant), [output({ a: { latency: 1 }, b: { latency: 2 } })]);
    // First use: the measure and both benchmarks are created by one more statement.
    expect(first.statements).toHaveLength(3);
    expect(first.statements[0]).toMatch(/FOR UPDATE/);
    expect(first.statements[1]).toMatch(/INSERT INTO measure[\s\S]*INSERT INTO benchmark/);

    const id = await report(tenant);
    const steady = await processed(id, [output({ a: { latency: 3 }, b: { latency: 4 } })]);
    expect(steady.statements).toHaveLength(2);
    expect(steady.statements[0]).toMatch(/^\/\* prepared \*\/[\s\S]*FOR UPDATE/);
    expect(steady.statements[1]).toMatch(
      /INSERT INTO report_benchmark[\s\S]*INSERT INTO metric[\s\S]*UPDATE report/,
    );
    expect(steady.summary).toMatchObject({ benchmarks: 2, metrics: 2, boundaries: 0, alerts: 0 });
    expect((await metricsOf(id)).map((m) => [m.benchmark, m.measure, m.value])).toEqual([
      ['a', 'latency', 3],
      ['b', 'latency', 4],
    ]);
    const row = await db.selectFrom('report').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.end_time).not.toBeNull();
    expect(row.error).toBeNull();

    // Without the parse settings it parses after the lock and reads again: one more statement.
    const unhinted = await processed(await report(tenant), [output({ a: { latency: 5 } })], null);
    expect(unhinted.statements).toHaveLength(3);
  });

  it('takes an output with no measures as a report without results, even with a threshold set', async () => {
    const tenant = await createTenant(db, 'FREE');
    // A threshold exists, so an empty measure list must not reach the threshold query as `IN ()`.
    await processed(await report(tenant), [output({ seed: { latency: 1 } })]);
    await thresholdOnOnlyMeasure(tenant, 'STATIC', 10);
    // As in Bencher, BMF `{}` and a benchmark without measures are valid and add nothing.
    for (const empty of [JSON.stringify({ lonely: {} }), '{}']) {
      const id = await report(tenant);
      const { summary } = await processed(id, [empty]);
      expect(summary).toMatchObject({ benchmarks: 0, metrics: 0, alerts: 0 });
      expect(await metricsOf(id)).toEqual([]);
      const row = await db.selectFrom('report').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.end_time).not.toBeNull();
    }
    const benchmarks = await db
      .selectFrom('benchmark')
      .select('name')
      .where('project_id', '=', tenant.projectId)
      .execute();
    expect(benchmarks.map((b) => b.name)).toEqual(['seed']);
  });

  it('plans the lock-and-read statement once per connection, not on every call', async () => {
    // A plan made per call (a custom plan) cost PostgreSQL more than running the statement.
    const single = createDatabase({ url, max: 1 });
    try {
      const tenant = await createTenant(db, 'FREE');
      for (let i = 0; i < 10; i++) {
        const id = await report(tenant);
        const keys: Record<string, Record<string, number>> = i % 2
          ? { a: { latency: i } }
          : { a: { latency: i, throughput: 1 }, b: { latency: 2 } };
        await single
          .transaction()
          .execute((trx) =>
            processResults(trx, { reportId: id, results: [output(keys)], now: new Date(), parse: JSON_MEAN }),
          );
      }
      const { rows } = await sql<{ generic_plans: number; custom_plans: number }>`
        SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%locked_ctid%'
      `.execute(single);
      expect(rows).toHaveLength(1);
      // PostgreSQL tries custom plans for the first five executions, then keeps the generic one.
      expect(rows[0]!.custom_plans).toBeLessThanOrEqual(5);
      expect(rows[0]!.generic_plans).toBeGreaterThanOrEqual(5);
    } finally {
      await single.destroy();
    }
  });

  it('creates missing measures and benchmarks together, built-in measures with their name and units', async () => {
    const tenant = await createTenant(db, 'FREE');
    const id = await report(tenant);
    const { statements: sent } = await processed(id, [
      output({ x: { latency: 1, 'my-measure': 2 }, y: { throughput: 3 } }),
    ]);
    expect(sent).toHaveLength(3);
    expect(sent[1]).toMatch(/INSERT INTO measure[\s\S]*INSERT INTO benchmark/);
    const measures = await db
      .selectFrom('measure')
      .select(['slug', 'name', 'units'])
      .where('project_id', '=', tenant.projectId)
      .orderBy('slug')
      .execute();
    expect(measures).toEqual([
      { slug: 'latency', name: 'Latency', units: 'nanoseconds (ns)' },
      { slug: 'my-measure', name: 'my-measure', units: 'units' },
      { slug: 'throughput', name: 'Throughput', units: 'operations / second (ops/s)' },
    ]);
    expect((await metricsOf(id)).map((m) => [m.benchmark, m.measure, m.value])).toEqual([
      ['x', 'latency', 1],
      ['x', 'my-measure', 2],
      ['y', 'throughput', 3],
    ]);
  });

  it('checks metrics with a threshold: history, then the inserts, then boundaries and alerts in one statement', async () => {
    const tenant = await createTenant(db, 'FREE');
    const hour = 3_600_000;
    const t0 = Date.now() - 10 * hour;
    for (const [i, value] of [100, 101, 99].entries()) {
      await processed(await report(tenant, new Date(t0 + i * hour)), [output({ a: { latency: value } })]);
    }
    await thresholdOnOnlyMeasure(tenant, 'PERCENTAGE', 0.1);
    const id = await report(tenant, new Date(t0 + 5 * hour));
    const { summary, statements: sent } = await processed(id, [output({ a: { latency: 200 } })]);
    // Lock and read (thresholds included), the branch's history segments, the history, the inserts.
    expect(sent).toHaveLength(5);
    expect(sent[0]).toMatch(/FOR UPDATE/);
    expect(sent[3]).toMatch(/INSERT INTO report_benchmark/);
    expect(sent[4]).toMatch(/INSERT INTO boundary[\s\S]*INSERT INTO alert/);
    expect(summary).toMatchObject({ metrics: 1, boundaries: 1, alerts: 1 });
    const alert = await db
      .selectFrom('alert')
      .innerJoin('boundary', 'boundary.id', 'alert.boundary_id')
      .innerJoin('metric', 'metric.id', 'boundary.metric_id')
      .select(['alert.side', 'alert.status', 'alert.project_id', 'boundary.baseline', 'metric.value'])
      .where('metric.report_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(alert).toEqual({
      side: 'UPPER',
      status: 'ACTIVE',
      project_id: tenant.projectId,
      baseline: 100,
      value: 200,
    });

    // A value inside the limits: its boundary, and no alert.
    const quiet = await processed(await report(tenant, new Date(t0 + 6 * hour)), [
      output({ a: { latency: 101 } }),
    ]);
    expect(quiet.summary).toMatchObject({ boundaries: 1, alerts: 0 });
    expect(quiet.statements).toHaveLength(5);
  });
});

describe('processResults semantics', () => {
  it('finds a measure by slug or name, the lowest slug first, as ensureMeasure does', async () => {
    const tenant = await createTenant(db, 'FREE');
    const [byName, bySlug] = await db
      .insertInto('measure')
      .values([
        { project_id: tenant.projectId, name: 'speed', slug: 'zeta', units: 'u' },
        { project_id: tenant.projectId, name: 'zzz', slug: 'speed', units: 'u' },
      ])
      .returning('id')
      .execute();
    const id = await report(tenant);
    await processed(id, [output({ a: { speed: 1, zeta: 2 } })]);
    const metrics = await metricsOf(id);
    // "speed" is bySlug's slug and byName's name: the slug "speed" sorts before "zeta".
    expect(metrics.find((m) => m.value === 1)?.measure_id).toBe(bySlug!.id);
    expect(metrics.find((m) => m.value === 2)?.measure_id).toBe(byName!.id);
  });

  it('reuses a measure created for an earlier key of the same output, as one-at-a-time creation would', async () => {
    const tenant = await createTenant(db, 'FREE');
    const id = await report(tenant);
    // "Latency" is the name the built-in "latency" is created with.
    await processed(id, [output({ a: { latency: 1 }, b: { Latency: 2 } })]);
    const measures = await db
      .selectFrom('measure')
      .select('id')
      .where('project_id', '=', tenant.projectId)
      .execute();
    expect(measures).toHaveLength(1);
    expect(new Set((await metricsOf(id)).map((m) => m.measure_id))).toEqual(new Set([measures[0]!.id]));
  });

  it('gives names whose slugs clash their own measures and benchmarks, and keeps the name errors', async () => {
    const tenant = await createTenant(db, 'FREE');
    const clash = await report(tenant);
    await processed(clash, [output({ 'x y': { 'Foo Bar': 1, 'foo bar': 2 }, 'x-y': { 'Foo Bar': 3 } })]);
    const stored = await metricsOf(clash);
    expect(new Set(stored.map((m) => m.measure_id)).size).toBe(2);
    expect(stored.map((m) => [m.benchmark, m.value])).toEqual(
      expect.arrayContaining([
        ['x y', 1],
        ['x y', 2],
        ['x-y', 3],
      ]),
    );
    await db.deleteFrom('report_benchmark').where('report_id', '=', clash).execute();
    await db.deleteFrom('benchmark').where('project_id', '=', tenant.projectId).execute();
    await db.deleteFrom('measure').where('project_id', '=', tenant.projectId).execute();
    // A measure error comes before a benchmark one, as when measures were created first.
    const both = await failure(
      processed(await report(tenant), [output({ ' padded': { ['m'.repeat(300)]: 1 } })]),
    );
    expect(both.message).toBe('name must be 1-256 characters long');
    const padded = await failure(processed(await report(tenant), [output({ ' padded': { m: 1 } })]));
    expect(padded.message).toBe('benchmark name " padded" is blank, padded or too long');
    const measures = await db
      .selectFrom('measure')
      .select('id')
      .where('project_id', '=', tenant.projectId)
      .execute();
    expect(measures).toEqual([]);
  });

  it('processes a report once, even when another transaction processed it while this one waited for the lock', async () => {
    const tenant = await createTenant(db, 'FREE');
    const id = await report(tenant);
    const results = [output({ a: { latency: 1 } })];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const first = db.transaction().execute(async (trx) => {
      await processResults(trx, { reportId: id, results, now: new Date(), parse: JSON_MEAN });
      locked();
      await held;
    });
    await lockTaken;
    const second = counting
      .transaction()
      .execute((trx) => processResults(trx, { reportId: id, results, now: new Date(), parse: JSON_MEAN }));
    // Let the second reach the lock and wait there, then commit the first.
    await new Promise((r) => setTimeout(r, 300));
    release();
    await first;
    const error = await failure(second);
    expect(error.code).toBe('CONFLICT');
    expect((await metricsOf(id)).map((m) => m.value)).toEqual([1]);
  });

  it('answers NOT_FOUND and CONFLICT before a parse error, and parses with the report adapter when told another', async () => {
    const tenant = await createTenant(db, 'FREE');
    expect((await failure(processed('00000000-0000-0000-0000-000000000000', ['nonsense']))).code).toBe(
      'NOT_FOUND',
    );
    const id = await report(tenant);
    await processed(id, [output({ a: { latency: 1 } })]);
    expect((await failure(processed(id, ['nonsense']))).code).toBe('CONFLICT');
    const unparsable = await failure(processed(await report(tenant), ['nonsense']));
    expect(unparsable.code).toBe('PARSE_ERROR');

    // The report's own adapter wins over wrong settings (go_bench cannot read JSON).
    const other = await report(tenant);
    const wrong = { adapter: 'go_bench', average: 'MEAN', fold: null };
    const { summary } = await processed(other, [output({ b: { latency: 2 } })], wrong);
    expect(summary.metrics).toBe(1);
    const unknown = await createReport(db, tenant, 'no_such_adapter');
    expect((await failure(processed(unknown, [output({ b: { latency: 2 } })], null))).message).toBe(
      'unknown adapter "no_such_adapter"',
    );
  });

  it('checks the metrics foreign key to report_benchmark at the end of the one insert statement', async () => {
    const tenant = await createTenant(db, 'FREE');
    const id = await report(tenant);
    await processed(id, [output({ a: { latency: 1 } })]);
    const metric = await db
      .selectFrom('metric')
      .selectAll()
      .where('report_id', '=', id)
      .executeTakeFirstOrThrow();
    const other = await report(tenant);
    const row = { id: randomUUID(), iteration: 0, benchmarkId: metric.benchmark_id };
    const reportRow = await db
      .selectFrom('report')
      .selectAll()
      .where('id', '=', other)
      .executeTakeFirstOrThrow();
    const insert = (reportBenchmarkId: string) =>
      insertResults(
        db,
        reportRow,
        [row],
        [
          {
            id: randomUUID(),
            reportBenchmarkId,
            benchmarkId: metric.benchmark_id,
            measureId: metric.measure_id,
            iteration: 0,
            metric: { value: 5 },
          },
        ],
        new Date(),
      );
    // A metric of a report_benchmark the statement does not insert is refused; one it does is not.
    await expect(insert(randomUUID())).rejects.toMatchObject({ code: '23503' });
    await insert(row.id);
    expect((await metricsOf(other)).map((m) => m.value)).toEqual([5]);
  });
});
