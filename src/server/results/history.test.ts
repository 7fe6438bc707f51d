import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/database.js';
import { branchSegments, loadHistory } from './history.js';

const { db } = await createTestDatabase();

const hour = 3_600_000;
const t0 = Date.parse('2026-01-01T00:00:00Z');
const at = (h: number) => new Date(t0 + h * hour);

let project: string;
let testbed: string;
let benchmark: string;
let measure: string;
let other: string;
let spec: string;

async function branch(name: string, startPoint?: { id: string; hash?: string; time: Date }) {
  const row = await db
    .insertInto('branch')
    .values({
      project_id: project,
      name,
      slug: name,
      start_point_branch_id: startPoint?.id ?? null,
      start_point_hash: startPoint?.hash ?? null,
      start_point_time: startPoint?.time ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A report on the branch at hour h, with one metric per iteration value. */
async function report(
  branchId: string,
  h: number,
  values: number[],
  extra: { hash?: string; spec?: string } = {},
) {
  const r = await db
    .insertInto('report')
    .values({
      project_id: project,
      branch_id: branchId,
      testbed_id: testbed,
      adapter: 'json',
      start_time: at(h),
      git_hash: extra.hash ?? null,
      spec_id: extra.spec ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [iteration, value] of values.entries()) {
    const rb = await db
      .insertInto('report_benchmark')
      .values({ report_id: r.id, iteration, benchmark_id: benchmark })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('metric')
      .values({
        report_benchmark_id: rb.id,
        report_id: r.id,
        branch_id: branchId,
        testbed_id: testbed,
        benchmark_id: benchmark,
        measure_id: measure,
        spec_id: extra.spec ?? null,
        iteration,
        time: at(h),
        value,
      })
      .execute();
  }
  return r.id;
}

const series = (limit = 100, windowSeconds: number | null = null) => [
  { benchmarkId: benchmark, measureId: measure, limit, windowSeconds },
];

async function history(
  branchId: string,
  h: number,
  opts: { limit?: number; window?: number | null; spec?: string } = {},
) {
  const [values] = await loadHistory(
    db,
    {
      reportId: randomUUID(),
      testbedId: testbed,
      specId: opts.spec ?? null,
      startTime: at(h),
      segments: await branchSegments(db, branchId, at(h)),
    },
    series(opts.limit, opts.window ?? null),
  );
  return values;
}

beforeAll(async () => {
  const org = await db
    .insertInto('organization')
    .values({ name: 'o', slug: 'o' })
    .returning('id')
    .executeTakeFirstOrThrow();
  project = (
    await db
      .insertInto('project')
      .values({ organization_id: org.id, name: 'p', slug: 'p' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  testbed = (
    await db
      .insertInto('testbed')
      .values({ project_id: project, name: 't', slug: 't' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  benchmark = (
    await db
      .insertInto('benchmark')
      .values({ project_id: project, name: 'b', slug: 'b' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  measure = (
    await db
      .insertInto('measure')
      .values({ project_id: project, name: 'm', slug: 'm', units: 'u' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  other = (
    await db
      .insertInto('measure')
      .values({ project_id: project, name: 'other', slug: 'other', units: 'u' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  spec = (
    await db
      .insertInto('spec')
      .values({ name: 's', slug: 's', cpu: 1, memory: 1, disk: 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});

describe('loadHistory', () => {
  it('returns earlier metrics newest first, later iterations first, never later ones', async () => {
    const main = await branch('h-main');
    await report(main, 1, [1]);
    await report(main, 2, [2, 3]);
    await report(main, 5, [5]);
    expect(await history(main, 4)).toEqual([3, 2, 1]);
    expect(await history(main, 5)).toEqual([3, 2, 1]);
    expect(await history(main, 6)).toEqual([5, 3, 2, 1]);
  });

  it('honours the limit and the window', async () => {
    const main = await branch('h-window');
    for (let h = 1; h <= 10; h++) await report(main, h, [h]);
    expect(await history(main, 11, { limit: 3 })).toEqual([10, 9, 8]);
    expect(await history(main, 11, { window: 3 * 3600 })).toEqual([10, 9, 8]);
    expect(await history(main, 11, { window: 3 * 3600 - 1 })).toEqual([10, 9]);
  });

  it('keeps series apart and answers many in one call, in request order', async () => {
    const main = await branch('h-many');
    await report(main, 1, [1]);
    const values = await loadHistory(
      db,
      {
        reportId: randomUUID(),
        testbedId: testbed,
        specId: null,
        startTime: at(2),
        segments: await branchSegments(db, main, at(2)),
      },
      [
        { benchmarkId: benchmark, measureId: other, limit: 10, windowSeconds: null },
        { benchmarkId: benchmark, measureId: measure, limit: 10, windowSeconds: null },
      ],
    );
    expect(values).toEqual([[], [1]]);
  });

  it('filters by spec when the report has one', async () => {
    const main = await branch('h-spec');
    await report(main, 1, [1]);
    await report(main, 2, [2], { spec });
    expect(await history(main, 3)).toEqual([2, 1]);
    expect(await history(main, 3, { spec })).toEqual([2]);
  });

  it('excludes the report itself', async () => {
    const main = await branch('h-self');
    const id = await report(main, 1, [1]);
    const [values] = await loadHistory(
      db,
      {
        reportId: id,
        testbedId: testbed,
        specId: null,
        startTime: at(2),
        segments: await branchSegments(db, main, at(2)),
      },
      series(),
    );
    expect(values).toEqual([]);
  });

  it('follows start points up to the branch point, or the start point hash', async () => {
    const base = await branch('h-base');
    await report(base, 1, [10], { hash: 'aaaaaaa' });
    await report(base, 2, [20], { hash: 'bbbbbbb' });
    await report(base, 3, [30], { hash: 'ccccccc' });
    const byTime = await branch('h-by-time', { id: base, time: at(2.5) });
    await report(byTime, 4, [40]);
    expect(await history(byTime, 5)).toEqual([40, 20, 10]);
    const byHash = await branch('h-by-hash', { id: base, hash: 'aaaaaaa', time: at(3.5) });
    expect(await history(byHash, 5)).toEqual([10]);
    // A start point's own start point is followed too.
    const nested = await branch('h-nested', { id: byTime, time: at(4.5) });
    expect(await history(nested, 6)).toEqual([40, 20, 10]);
    // The branch's own metrics from before its head began (a reset) do not count.
    const reset = await branch('h-reset');
    await report(reset, 1, [1]);
    await db
      .updateTable('branch')
      .set({ start_point_time: at(1.5) })
      .where('id', '=', reset)
      .execute();
    await report(reset, 2, [2]);
    expect(await history(reset, 3)).toEqual([2]);
  });

  it('reads all series in a single statement', async () => {
    const main = await branch('h-one-query');
    await report(main, 1, [1]);
    let statements = 0;
    const counting = db.withPlugin({
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const many = Array.from({ length: 500 }, () => ({
      benchmarkId: benchmark,
      measureId: measure,
      limit: 5,
      windowSeconds: 3600 * 24,
    }));
    const values = await loadHistory(
      counting,
      {
        reportId: randomUUID(),
        testbedId: testbed,
        specId: null,
        startTime: at(2),
        segments: [{ branchId: main, since: null, until: at(2), inclusive: false }],
      },
      many,
    );
    expect(values.every((v) => v.length === 1 && v[0] === 1)).toBe(true);
    expect(statements).toBe(1);
  });
});
