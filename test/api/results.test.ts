import { randomUUID } from 'node:crypto';
import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/server/graphql/context.js';
import { schema } from '../../src/server/graphql/schema.js';
import { createActors } from '../helpers/actors.js';
import type { GraphqlClient } from '../helpers/graphql-client.js';
import { startTestServer } from '../helpers/server.js';

const server = await startTestServer();
const actors = await createActors(server);
const owner = server.client(actors.owner);
const member = server.client(actors.member);
const db = server.database.db;

const CREATE_RUN = `
  mutation ($input: CreateRunInput!) {
    createRun(input: $input) {
      job { id }
      report {
        id hash adapter startTime endTime error
        branch { slug } testbed { slug }
        settings { average fold iterations }
        results {
          iteration
          benchmarks {
            benchmark { name slug }
            measures {
              measure { slug name units }
              value lowerValue upperValue baseline lowerLimit upperLimit change
              alert { id status side value limit baseline }
            }
          }
        }
      }
    }
  }`;

const bmf = (benchmarks: Record<string, number>, measure = 'latency') =>
  JSON.stringify(
    Object.fromEntries(Object.entries(benchmarks).map(([name, value]) => [name, { [measure]: { value } }])),
  );

let clock = Date.parse('2026-01-01T00:00:00Z');
/** Runs start an hour apart so history has a clear order. */
const nextTime = () => {
  clock += 3_600_000;
  return new Date(clock).toISOString();
};

async function run(client: GraphqlClient, input: Record<string, unknown>) {
  const data = await client.data(CREATE_RUN, {
    input: { project: actors.publicProject, adapter: 'json', startTime: nextTime(), ...input },
  });
  return data.createRun.report;
}

const metric = (report: any, benchmark: string, iteration = 0) =>
  report.results
    .find((i: any) => i.iteration === iteration)
    ?.benchmarks.find((b: any) => b.benchmark.name === benchmark)?.measures[0];

async function count(
  table: 'report' | 'metric' | 'branch' | 'threshold' | 'organization' | 'alert' | 'boundary',
) {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const T_TEST = { measure: 'latency', test: 'T_TEST', upperBoundary: 0.99, lowerBoundary: 0.99 };

describe('createRun with local results', () => {
  it('stores the report, benchmarks, measures and metrics', async () => {
    const report = await run(owner, {
      branch: 'plain',
      testbed: 'box',
      hash: 'abcdef1',
      results: [
        JSON.stringify({
          'bench::a': { latency: { value: 10, lower_value: 9, upper_value: 11 }, 'my-measure': { value: 3 } },
          'bench::b': { throughput: { value: 1000 } },
        }),
      ],
    });
    expect(report).toMatchObject({
      hash: 'abcdef1',
      adapter: 'json',
      error: null,
      branch: { slug: 'plain' },
      testbed: { slug: 'box' },
      settings: { average: 'MEAN', fold: null, iterations: 1 },
    });
    expect(report.endTime).not.toBeNull();
    expect(report.results).toHaveLength(1);
    const [a, b] = report.results[0].benchmarks;
    expect(a.benchmark.name).toBe('bench::a');
    expect(a.measures).toEqual([
      expect.objectContaining({
        measure: { slug: 'latency', name: 'Latency', units: 'nanoseconds (ns)' },
        value: 10,
        lowerValue: 9,
        upperValue: 11,
        baseline: null,
        alert: null,
      }),
      expect.objectContaining({
        measure: { slug: 'my-measure', name: 'my-measure', units: 'units' },
        value: 3,
      }),
    ]);
    expect(b.measures[0]).toMatchObject({
      measure: { slug: 'throughput', units: 'operations / second (ops/s)' },
      value: 1000,
    });
    const again = await owner.data('query ($id: UUID!) { report(id: $id) { id project { slug } } }', {
      id: report.id,
    });
    expect(again.report.project.slug).toBe(actors.publicProject);
  });

  it('accumulates history and raises an ACTIVE alert on a regression only', async () => {
    const base = { branch: 'alerts', testbed: 'box', thresholds: [T_TEST] };
    const values = [100, 101, 99, 100.5, 99.5, 100];
    for (const [i, value] of values.entries()) {
      const report = await run(owner, { ...base, results: [bmf({ hot: value })] });
      const m = metric(report, 'hot');
      expect(m.alert).toBeNull();
      // The first run has no history, the second only one point: no boundary yet.
      if (i < 2) expect(m.baseline).toBeNull();
      else expect(m.baseline).toBeGreaterThan(99);
    }
    const normal = metric(await run(owner, { ...base, results: [bmf({ hot: 100.2 })] }), 'hot');
    expect(normal.alert).toBeNull();
    expect(normal.baseline).toBeCloseTo(100, 0);
    expect(normal.upperLimit).toBeGreaterThan(100.2);

    const regression = metric(await run(owner, { ...base, results: [bmf({ hot: 150 })] }), 'hot');
    expect(regression.alert).toMatchObject({ status: 'ACTIVE', side: 'UPPER', value: 150 });
    expect(regression.alert.limit).toBe(regression.upperLimit);
    expect(regression.change).toBeGreaterThan(45);

    const alerts = await owner.data(
      'query ($p: String!) { alerts(project: $p, status: ACTIVE) { edges { node { id side benchmark { name } measure { slug } report { id } } } } }',
      { p: actors.publicProject },
    );
    expect(alerts.alerts.edges.map((e: any) => e.node.id)).toContain(regression.alert.id);
  });

  it('stores -bencher-ignore benchmarks under the stripped name and never alerts on them', async () => {
    const base = { branch: 'ignore', testbed: 'box', thresholds: [T_TEST] };
    for (const value of [100, 101, 99, 100, 100.5, 99.5]) {
      await run(owner, { ...base, results: [bmf({ 'noisy-bencher-ignore': value, steady: value })] });
    }
    const report = await run(owner, {
      ...base,
      results: [bmf({ 'noisy-bencher-ignore': 500, steady: 500 })],
    });
    const names = report.results[0].benchmarks.map((b: any) => b.benchmark.name);
    expect(names).toEqual(['noisy', 'steady']);
    expect(metric(report, 'noisy').alert).toBeNull();
    expect(metric(report, 'noisy').upperLimit).toBeLessThan(500);
    expect(metric(report, 'steady').alert).toMatchObject({ side: 'UPPER' });
  });

  it('folds iterations into one result, or keeps each iteration', async () => {
    const results = [bmf({ f: 3 }), bmf({ f: 1 }), bmf({ f: 2 }), bmf({ f: 10 })];
    const folded = await run(owner, { branch: 'fold', results, fold: 'MEDIAN' });
    expect(folded.settings).toMatchObject({ fold: 'MEDIAN', iterations: 4 });
    expect(folded.results).toHaveLength(1);
    expect(metric(folded, 'f').value).toBe(2.5);
    const min = await run(owner, { branch: 'fold', results, fold: 'MIN' });
    expect(metric(min, 'f').value).toBe(1);
    const kept = await run(owner, { branch: 'fold', results });
    expect(kept.results.map((i: any) => i.iteration)).toEqual([0, 1, 2, 3]);
    expect(kept.results.map((i: any) => i.benchmarks[0].measures[0].value)).toEqual([3, 1, 2, 10]);
  });

  it('compares an iteration with the earlier iterations of the same report', async () => {
    const threshold = { measure: 'latency', test: 'PERCENTAGE', upperBoundary: 0.5 };
    const report = await run(owner, {
      branch: 'iterations',
      thresholds: [threshold],
      results: [bmf({ it: 10 }), bmf({ it: 10 }), bmf({ it: 30 })],
    });
    expect(metric(report, 'it', 0).baseline).toBeNull();
    expect(metric(report, 'it', 1).baseline).toBe(10);
    expect(metric(report, 'it', 2)).toMatchObject({ baseline: 10, upperLimit: 15, alert: { side: 'UPPER' } });
  });

  it('honours the max sample size and the window', async () => {
    const threshold = { measure: 'latency', test: 'PERCENTAGE', upperBoundary: 0.1, maxSampleSize: 2 };
    for (const value of [1000, 1000, 10, 20])
      await run(owner, { branch: 'sample', thresholds: [threshold], results: [bmf({ s: value })] });
    const sampled = await run(owner, { branch: 'sample', results: [bmf({ s: 15 })] });
    // Only the two newest points (20 and 10) count.
    expect(metric(sampled, 's').baseline).toBe(15);

    const windowed = { measure: 'latency', test: 'PERCENTAGE', upperBoundary: 0.1, window: 5 * 3600 };
    for (const value of [1000, 1000, 1000])
      await run(owner, { branch: 'window', results: [bmf({ w: value })] });
    clock += 24 * 3_600_000;
    for (const value of [10, 30])
      await run(owner, { branch: 'window', thresholds: [windowed], results: [bmf({ w: value })] });
    const report = await run(owner, { branch: 'window', results: [bmf({ w: 20 })] });
    // The 1000s are a day old, outside the 5 hour window.
    expect(metric(report, 'w').baseline).toBe(20);
  });

  it('lets a branch created from a start point see its history up to the branch point', async () => {
    const threshold = { measure: 'latency', test: 'PERCENTAGE', upperBoundary: 0.1 };
    for (const value of [50, 50])
      await run(owner, { branch: 'base', thresholds: [threshold], results: [bmf({ sp: value })] });
    const feature = await run(owner, {
      branch: 'feature',
      startPoint: 'base',
      startPointCloneThresholds: true,
      results: [bmf({ sp: 60 })],
    });
    expect(metric(feature, 'sp')).toMatchObject({ baseline: 50, upperLimit: 55, alert: { side: 'UPPER' } });
    // Later base metrics are not the feature branch's history.
    await run(owner, { branch: 'base', results: [bmf({ sp: 1000 })] });
    const next = await run(owner, { branch: 'feature', results: [bmf({ sp: 60 })] });
    expect(metric(next, 'sp').baseline).toBeCloseTo((50 + 50 + 60) / 3);
    // A reset starts the branch afresh: no history at all.
    const reset = await run(owner, { branch: 'feature', startPointReset: true, results: [bmf({ sp: 60 })] });
    expect(metric(reset, 'sp').baseline).toBeNull();
  });

  it('cuts a start point at the start point hash', async () => {
    const threshold = { measure: 'latency', test: 'PERCENTAGE', upperBoundary: 0.1 };
    await run(owner, {
      branch: 'trunk',
      hash: 'aaaaaaa',
      thresholds: [threshold],
      results: [bmf({ h: 10 })],
    });
    await run(owner, { branch: 'trunk', hash: 'bbbbbbb', results: [bmf({ h: 20 })] });
    await run(owner, { branch: 'trunk', hash: 'ccccccc', results: [bmf({ h: 1000 })] });
    const pr = await run(owner, {
      branch: 'pr',
      startPoint: 'trunk',
      startPointHash: 'bbbbbbb',
      startPointCloneThresholds: true,
      results: [bmf({ h: 15 })],
    });
    expect(metric(pr, 'h').baseline).toBe(15);
  });
});

describe('failures store nothing', () => {
  it('answers PARSE_ERROR naming the iteration', async () => {
    const before = await Promise.all([count('report'), count('metric'), count('branch')]);
    const result = await owner.request(CREATE_RUN, {
      input: {
        project: actors.publicProject,
        branch: 'never',
        adapter: 'json',
        results: [bmf({ x: 1 }), '{"x": {"latency": {"value": "fast"}}}'],
      },
    });
    expect(result.errors?.[0].extensions?.code).toBe('PARSE_ERROR');
    expect(result.errors?.[0].message).toMatch(/iteration 2 of 2/);
    expect(result.errors?.[0].message).toMatch(/finite number/);
    expect(await Promise.all([count('report'), count('metric'), count('branch')])).toEqual(before);
  });

  it('answers BAD_INPUT for a bad threshold', async () => {
    const before = await Promise.all([count('report'), count('threshold'), count('branch')]);
    for (const threshold of [
      { measure: 'latency', test: 'T_TEST', upperBoundary: 99 },
      { measure: 'latency', test: 'PERCENTAGE' },
      { measure: 'latency', test: 'T_TEST', upperBoundary: 0.9, minSampleSize: 10, maxSampleSize: 5 },
    ]) {
      const code = await owner.errorCode(CREATE_RUN, {
        input: {
          project: actors.publicProject,
          branch: 'never',
          results: [bmf({ x: 1 })],
          thresholds: [threshold],
        },
      });
      expect(code).toBe('BAD_INPUT');
    }
    expect(await Promise.all([count('report'), count('threshold'), count('branch')])).toEqual(before);
  });

  it('rolls everything back when a later step fails', async () => {
    const before = await Promise.all([count('report'), count('threshold'), count('branch')]);
    // The branch, testbed and threshold are written before the output fails to parse.
    const code = await owner.errorCode(CREATE_RUN, {
      input: {
        project: actors.publicProject,
        branch: 'rollback',
        testbed: 'new-tb',
        thresholds: [T_TEST],
        adapter: 'json',
        results: ['not json'],
      },
    });
    expect(code).toBe('PARSE_ERROR');
    expect(await Promise.all([count('report'), count('threshold'), count('branch')])).toEqual(before);
  });

  it('needs exactly one of results and job', async () => {
    expect(await owner.errorCode(CREATE_RUN, { input: { project: actors.publicProject } })).toBe('BAD_INPUT');
    expect(await owner.errorCode(CREATE_RUN, { input: { project: actors.publicProject, results: [] } })).toBe(
      'BAD_INPUT',
    );
    expect(
      await owner.errorCode(CREATE_RUN, {
        input: { project: actors.publicProject, results: ['{}'], job: { image: 'x:1' } },
      }),
    ).toBe('BAD_INPUT');
  });
});

describe('who may run', () => {
  const anonymous = server.client(null);

  it('creates an unclaimed organization with a public project on an anonymous first run', async () => {
    const orgs = await count('organization');
    const slug = `anon-${Date.now().toString(36)}`;
    const first = await anonymous.data(CREATE_RUN, {
      input: { project: slug, results: [bmf({ a: 1 })], adapter: 'json' },
    });
    expect(first.createRun.report.branch.slug).toBe('main');
    expect(first.createRun.report.testbed.slug).toBe('localhost');
    expect(await count('organization')).toBe(orgs + 1);
    const project = await db
      .selectFrom('project')
      .innerJoin('organization', 'organization.id', 'project.organization_id')
      .select(['project.visibility', 'organization.slug', 'organization.claimed_at'])
      .where('project.slug', '=', slug)
      .executeTakeFirstOrThrow();
    expect(project).toEqual({ visibility: 'PUBLIC', slug, claimed_at: null });
    // A second anonymous run on the unclaimed project is fine; anyone can read it.
    await anonymous.data(CREATE_RUN, { input: { project: slug, results: [bmf({ a: 2 })], adapter: 'json' } });
    const read = await anonymous.data(
      'query ($p: String!) { reports(project: $p) { edges { node { id } } } }',
      { p: slug },
    );
    expect(read.reports.edges).toHaveLength(2);
  });

  it('refuses anonymous runs on a claimed project, strangers and viewers', async () => {
    const input = { project: actors.publicProject, results: [bmf({ a: 1 })], adapter: 'json' };
    expect(await anonymous.errorCode(CREATE_RUN, { input })).toBe('UNAUTHENTICATED');
    expect(await server.client(actors.stranger).errorCode(CREATE_RUN, { input })).toBe('FORBIDDEN');
    expect(await server.client(actors.viewer).errorCode(CREATE_RUN, { input })).toBe('FORBIDDEN');
    const hidden = { ...input, project: actors.privateProject };
    expect(await server.client(actors.stranger).errorCode(CREATE_RUN, { input: hidden })).toBe('NOT_FOUND');
    expect(await anonymous.errorCode(CREATE_RUN, { input: hidden })).toBe('NOT_FOUND');
    expect(
      await server
        .client(actors.stranger)
        .errorCode(CREATE_RUN, { input: { ...input, project: 'no-such-project-x' } }),
    ).toBe('NOT_FOUND');
    // A member may run on the private project; its report stays hidden from strangers.
    const report = (await member.data(CREATE_RUN, { input: { ...hidden, startTime: nextTime() } })).createRun
      .report;
    expect(
      await server
        .client(actors.stranger)
        .errorCode('query ($id: UUID!) { report(id: $id) { id } }', { id: report.id }),
    ).toBe('NOT_FOUND');
  });
});

describe('alerts, thresholds and perf', () => {
  it('lets members dismiss an alert and viewers only read it', async () => {
    const threshold = { measure: 'latency', test: 'STATIC', upperBoundary: 10 };
    const report = await run(owner, {
      branch: 'static',
      thresholds: [threshold],
      results: [bmf({ st: 11 })],
    });
    const alert = metric(report, 'st').alert;
    expect(alert).toMatchObject({ side: 'UPPER', limit: 10, status: 'ACTIVE' });
    const UPDATE =
      'mutation ($id: UUID!, $s: AlertStatus!) { updateAlert(id: $id, status: $s) { id status } }';
    expect(await server.client(actors.viewer).errorCode(UPDATE, { id: alert.id, s: 'DISMISSED' })).toBe(
      'FORBIDDEN',
    );
    expect(await server.client(null).errorCode(UPDATE, { id: alert.id, s: 'DISMISSED' })).toBe(
      'UNAUTHENTICATED',
    );
    const updated = await member.data(UPDATE, { id: alert.id, s: 'DISMISSED' });
    expect(updated.updateAlert).toEqual({ id: alert.id, status: 'DISMISSED' });
    const dismissed = await owner.data(
      'query ($p: String!) { alerts(project: $p, status: DISMISSED) { edges { node { id } } } }',
      {
        p: actors.publicProject,
      },
    );
    expect(dismissed.alerts.edges.map((e: any) => e.node.id)).toEqual([alert.id]);
  });

  it('creates, updates and deletes thresholds', async () => {
    await run(owner, { branch: 'crud', testbed: 'crud-tb', results: [bmf({ c: 1 })] });
    const created = await member.data(
      `mutation ($i: CreateThresholdInput!) { createThreshold(input: $i) { id branch { slug } measure { slug units } model { id test upperBoundary } } }`,
      {
        i: {
          project: actors.publicProject,
          branch: 'crud',
          testbed: 'crud-tb',
          measure: 'latency',
          model: { test: 'Z_SCORE', upperBoundary: 0.95 },
        },
      },
    );
    const t = created.createThreshold;
    expect(t).toMatchObject({
      branch: { slug: 'crud' },
      measure: { slug: 'latency' },
      model: { test: 'Z_SCORE', upperBoundary: 0.95 },
    });
    expect(
      await member.errorCode(`mutation ($i: CreateThresholdInput!) { createThreshold(input: $i) { id } }`, {
        i: {
          project: actors.publicProject,
          branch: 'crud',
          testbed: 'crud-tb',
          measure: 'latency',
          model: { test: 'STATIC', upperBoundary: 1 },
        },
      }),
    ).toBe('CONFLICT');
    const updated = await member.data(
      'mutation ($id: UUID!) { updateThreshold(id: $id, model: { test: IQR, upperBoundary: 3 }) { model { id test upperBoundary } } }',
      { id: t.id },
    );
    expect(updated.updateThreshold.model).toMatchObject({ test: 'IQR', upperBoundary: 3 });
    expect(updated.updateThreshold.model.id).not.toBe(t.model.id);
    const old = await db
      .selectFrom('model')
      .select('replaced_at')
      .where('id', '=', t.model.id)
      .executeTakeFirstOrThrow();
    expect(old.replaced_at).not.toBeNull();
    expect(
      await member.errorCode(
        'mutation ($id: UUID!) { updateThreshold(id: $id, model: { test: T_TEST, upperBoundary: 2 }) { id } }',
        {
          id: t.id,
        },
      ),
    ).toBe('BAD_INPUT');
    expect(
      await server
        .client(actors.viewer)
        .errorCode('mutation ($id: UUID!) { deleteThreshold(id: $id) }', { id: t.id }),
    ).toBe('FORBIDDEN');
    const list = await owner.data(
      'query ($p: String!) { thresholds(project: $p, first: 500) { edges { node { id } } } }',
      {
        p: actors.publicProject,
      },
    );
    expect(list.thresholds.edges.map((e: any) => e.node.id)).toContain(t.id);
    expect(
      (await member.data('mutation ($id: UUID!) { deleteThreshold(id: $id) }', { id: t.id })).deleteThreshold,
    ).toBe(t.id);
  });

  it('resets the thresholds a run does not name', async () => {
    const a = { measure: 'latency', test: 'PERCENTAGE', upperBoundary: 0.1 };
    const b = { measure: 'throughput', test: 'PERCENTAGE', lowerBoundary: 0.1 };
    await run(owner, { branch: 'reset', thresholds: [a, b], results: [bmf({ r: 1 })] });
    await run(owner, { branch: 'reset', thresholds: [a], thresholdsReset: true, results: [bmf({ r: 1 })] });
    const rows = await db
      .selectFrom('threshold')
      .innerJoin('branch', 'branch.id', 'threshold.branch_id')
      .innerJoin('measure', 'measure.id', 'threshold.measure_id')
      .select(['measure.slug', 'threshold.model_id'])
      .where('branch.slug', '=', 'reset')
      .orderBy('measure.slug')
      .execute();
    expect(rows.map((r) => [r.slug, r.model_id !== null])).toEqual([
      ['latency', true],
      ['throughput', false],
    ]);
  });

  it('serves perf series with boundaries and alerts', async () => {
    const threshold = { measure: 'latency', test: 'STATIC', upperBoundary: 100 };
    const reports = [];
    for (const value of [50, 60, 150]) {
      reports.push(
        await run(owner, {
          branch: 'perf',
          testbed: 'perf-tb',
          hash: 'abc1234',
          thresholds: [threshold],
          results: [bmf({ p: value, q: 1 })],
        }),
      );
    }
    const data = await server.client(null).data(
      `query ($p: String!) { perf(project: $p, benchmarks: ["p"], branches: ["perf"], testbeds: ["perf-tb"]) {
          branch { slug } testbed { slug } benchmark { name } measure { slug }
          points { time reportId iteration hash value baseline lowerLimit upperLimit alert { side } } } }`,
      { p: actors.publicProject },
    );
    expect(data.perf).toHaveLength(1);
    const series = data.perf[0];
    expect(series).toMatchObject({
      branch: { slug: 'perf' },
      testbed: { slug: 'perf-tb' },
      benchmark: { name: 'p' },
      measure: { slug: 'latency' },
    });
    expect(series.points.map((p: any) => [p.value, p.upperLimit, p.alert?.side ?? null, p.hash])).toEqual([
      [50, 100, null, 'abc1234'],
      [60, 100, null, 'abc1234'],
      [150, 100, 'UPPER', 'abc1234'],
    ]);
    expect(series.points.map((p: any) => p.reportId)).toEqual(reports.map((r) => r.id));
    // `last`: each series' newest points, still oldest first, with their alert.
    const newest = await server.client(null).data(
      `query ($p: String!) { perf(project: $p, benchmarks: ["p"], branches: ["perf"], testbeds: ["perf-tb"], last: 2) {
          measure { slug } points { value alert { side } } } }`,
      { p: actors.publicProject },
    );
    expect(newest.perf.map((s: any) => [s.measure.slug, s.points.map((p: any) => p.value)])).toEqual([
      ['latency', [60, 150]],
    ]);
    expect(newest.perf[0].points[1].alert).toEqual({ side: 'UPPER' });
    for (const last of [0, -1, 20_001]) {
      expect(
        await owner.errorCode(
          'query ($p: String!, $l: Int) { perf(project: $p, benchmarks: ["p"], last: $l) { points { value } } }',
          { p: actors.publicProject, l: last },
        ),
      ).toBe('BAD_INPUT');
    }
    expect(
      await owner.errorCode(
        'query ($p: String!) { perf(project: $p, benchmarks: ["nope"]) { points { value } } }',
        { p: actors.publicProject },
      ),
    ).toBe('NOT_FOUND');
  });

  it('pages through reports and filters them by branch', async () => {
    const page = await owner.data(
      'query ($p: String!) { reports(project: $p, branch: "fold", first: 2) { edges { node { id branch { slug } } } pageInfo { hasNextPage endCursor } } }',
      { p: actors.publicProject },
    );
    expect(page.reports.edges).toHaveLength(2);
    expect(page.reports.pageInfo.hasNextPage).toBe(true);
    const next = await owner.data(
      'query ($p: String!, $a: String) { reports(project: $p, branch: "fold", first: 2, after: $a) { edges { node { id } } pageInfo { hasNextPage } } }',
      { p: actors.publicProject, a: page.reports.pageInfo.endCursor },
    );
    expect(next.reports.edges).toHaveLength(1);
    expect(next.reports.pageInfo.hasNextPage).toBe(false);
  });

  it('resolves nested lists with one query per level, however many reports', async () => {
    let statements = 0;
    const counting = server.deps.db.withPlugin({
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const viewer = {
      kind: 'user',
      ip: '127.0.0.1',
      userId: randomUUID(),
      isAdmin: true,
      tokenId: randomUUID(),
    } as const;
    const query = async (first: number) => {
      statements = 0;
      const result = await execute({
        schema,
        document: parse(`query ($p: String!, $n: Int) { reports(project: $p, first: $n) { edges { node {
          id branch { slug } testbed { slug } project { slug } job { id }
          results(first: 5) { iteration benchmarks { benchmark { name } measures { measure { slug units } value baseline alert { id side benchmark { name } } } } }
          alerts { id report { id } }
        } } } }`),
        variableValues: { p: actors.publicProject, n: first },
        contextValue: createContext({ ...server.deps, db: counting }, viewer),
      });
      expect(result.errors?.map((e) => e.message)).toBeUndefined();
      expect((result.data as any).reports.edges).toHaveLength(first);
      return statements;
    };
    const few = await query(2);
    const many = await query(30);
    expect(many).toBe(few);
    // A results page is two statements (the page's benchmarks, their metrics) and alerts one.
    expect(many).toBeLessThanOrEqual(12);
  });
});
