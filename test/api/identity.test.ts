import { describe, expect, it } from 'vitest';
import { createActors } from '../helpers/actors.js';
import { startTestServer } from '../helpers/server.js';

// A benchmark, branch, testbed or measure is its exact name: names whose slugs coincide are
// different things with different histories (issue 19). Attacked through createRun, as `benchline run` does.
const server = await startTestServer();
const actors = await createActors(server);
const owner = server.client(actors.owner);
const db = server.database.db;

const CREATE_RUN = `
  mutation ($input: CreateRunInput!) {
    createRun(input: $input) {
      report {
        id branch { name slug } testbed { name slug }
        results { benchmarks { benchmark { name slug } measures { measure { name slug units } value alert { id } } } }
      }
    }
  }`;

let clock = Date.parse('2026-02-01T00:00:00Z');
async function run(input: Record<string, unknown>) {
  clock += 3_600_000;
  const data = await owner.data(CREATE_RUN, {
    input: {
      project: actors.publicProject,
      adapter: 'json',
      startTime: new Date(clock).toISOString(),
      ...input,
    },
  });
  return data.createRun.report;
}

const bmf = (benchmarks: Record<string, number>, measure = 'latency') =>
  JSON.stringify(
    Object.fromEntries(Object.entries(benchmarks).map(([name, value]) => [name, { [measure]: { value } }])),
  );

async function benchmarksNamed(names: string[]) {
  return db
    .selectFrom('benchmark')
    .innerJoin('project', 'project.id', 'benchmark.project_id')
    .select(['benchmark.id', 'benchmark.name', 'benchmark.slug'])
    .where('project.slug', '=', actors.publicProject)
    .where('benchmark.name', 'in', names)
    .execute();
}

async function valuesOf(benchmarkId: string) {
  const rows = await db
    .selectFrom('metric')
    .select('value')
    .where('benchmark_id', '=', benchmarkId)
    .execute();
  return rows.map((r) => r.value);
}

const CONCAT = ['string concat (+=)', 'string concat', 'String Concat!', 'string-concat'];

describe('benchmark identity', () => {
  it('gives names whose slugs coincide their own benchmark and history, across runs', async () => {
    for (const [i, name] of CONCAT.entries()) {
      const report = await run({ branch: 'identity-runs', results: [bmf({ [name]: 100 * (i + 1) })] });
      expect(report.results[0].benchmarks[0].benchmark.name).toBe(name);
    }
    const rows = await benchmarksNamed(CONCAT);
    expect(rows.map((r) => r.name).sort()).toEqual([...CONCAT].sort());
    expect(new Set(rows.map((r) => r.slug)).size).toBe(4);
    // The first name took the plain slug; the others a suffixed one.
    expect(rows.find((r) => r.name === 'string concat (+=)')?.slug).toBe('string-concat');
    for (const row of rows.filter((r) => r.name !== 'string concat (+=)')) {
      expect(row.slug).toMatch(/^string-concat-[a-z0-9]{7}$/);
    }
    for (const [i, name] of CONCAT.entries()) {
      const row = rows.find((r) => r.name === name)!;
      expect(await valuesOf(row.id)).toEqual([100 * (i + 1)]);
    }
    // A later run of one name lands on that name's history only.
    await run({ branch: 'identity-runs', results: [bmf({ 'String Concat!': 7 })] });
    const shouting = rows.find((r) => r.name === 'String Concat!')!;
    expect((await valuesOf(shouting.id)).sort()).toEqual([300, 7].sort());
    expect(await valuesOf(rows.find((r) => r.name === 'string concat')!.id)).toEqual([200]);
  });

  it('accepts names whose slugs coincide within one report, each its own benchmark', async () => {
    const names = ['x y z', 'x-y-z', 'X Y Z'];
    const report = await run({
      branch: 'identity-one',
      results: [bmf({ 'x y z': 1, 'x-y-z': 2, 'X Y Z': 3 })],
    });
    const got = report.results[0].benchmarks.map((b: any) => [b.benchmark.name, b.measures[0].value]);
    expect(got).toHaveLength(3);
    expect(got).toEqual(
      expect.arrayContaining([
        ['x y z', 1],
        ['x-y-z', 2],
        ['X Y Z', 3],
      ]),
    );
    const slugs = report.results[0].benchmarks.map((b: any) => b.benchmark.slug);
    expect(new Set(slugs).size).toBe(3);
    expect(await benchmarksNamed(names)).toHaveLength(3);
  });

  it('keeps the last value of a name that occurs twice in one output', async () => {
    const twice = '{"dup": {"latency": {"value": 1}}, "dup": {"latency": {"value": 2}}}';
    const report = await run({ branch: 'identity-dup', results: [twice] });
    expect(report.results[0].benchmarks).toHaveLength(1);
    expect(report.results[0].benchmarks[0].measures[0].value).toBe(2);
    // A text harness printing one name twice: the last line wins too.
    const go = 'BenchmarkTwice-8  1000  10 ns/op\nBenchmarkTwice-8  1000  20 ns/op\nPASS\n';
    const text = await run({ branch: 'identity-dup', adapter: 'go_bench', results: [go] });
    expect(text.results[0].benchmarks.map((b: any) => b.measures[0].value)).toEqual([20]);
  });
});

describe('measure identity', () => {
  it('keeps a custom key as the name and gives built-in measures their display names', async () => {
    const report = await run({
      branch: 'measures',
      results: [
        JSON.stringify({
          m: { 'file-size': { value: 1 }, latency: { value: 2 }, 'My Measure': { value: 3 } },
        }),
      ],
    });
    const measures = report.results[0].benchmarks[0].measures.map((m: any) => m.measure);
    expect(measures).toEqual(
      expect.arrayContaining([
        { name: 'file-size', slug: 'file-size', units: 'bytes (B)' },
        { name: 'Latency', slug: 'latency', units: 'nanoseconds (ns)' },
        { name: 'My Measure', slug: 'my-measure', units: 'units' },
      ]),
    );
  });

  it('gives measure keys whose slugs coincide their own measures', async () => {
    const report = await run({
      branch: 'measures-clash',
      results: [JSON.stringify({ m: { 'Foo Bar': { value: 1 }, 'foo bar': { value: 2 } } })],
    });
    const measures = report.results[0].benchmarks[0].measures;
    expect(measures.map((m: any) => [m.measure.name, m.value])).toEqual(
      expect.arrayContaining([
        ['Foo Bar', 1],
        ['foo bar', 2],
      ]),
    );
    expect(new Set(measures.map((m: any) => m.measure.slug)).size).toBe(2);
    // The slug itself still names the first one (slug-or-name lookup, as Bencher's).
    const bySlug = await run({
      branch: 'measures-clash',
      results: [JSON.stringify({ m: { 'foo-bar': { value: 9 } } })],
    });
    expect(bySlug.results[0].benchmarks[0].measures[0].measure.name).toBe('Foo Bar');
  });
});

describe('branch and testbed identity', () => {
  it('creates a distinct branch and testbed for a new name whose slug is taken', async () => {
    const first = await run({ branch: 'Feature X', testbed: 'Box One', results: [bmf({ b: 1 })] });
    const second = await run({ branch: 'feature x', testbed: 'box one', results: [bmf({ b: 2 })] });
    expect(first.branch).toEqual({ name: 'Feature X', slug: 'feature-x' });
    expect(second.branch.name).toBe('feature x');
    expect(second.branch.slug).toMatch(/^feature-x-[a-z0-9]{7}$/);
    expect(first.testbed).toEqual({ name: 'Box One', slug: 'box-one' });
    expect(second.testbed.slug).toMatch(/^box-one-[a-z0-9]{7}$/);
    // Naming a branch by its slug finds it.
    const bySlug = await run({ branch: 'feature-x', testbed: 'box-one', results: [bmf({ b: 3 })] });
    expect(bySlug.branch.name).toBe('Feature X');
    expect(bySlug.testbed.name).toBe('Box One');
  });
});

describe('ignore suffixes', () => {
  it('strips every spelling Bencher recognises and never alerts on them', async () => {
    const threshold = { measure: 'latency', test: 'STATIC', upperBoundary: 10 };
    const report = await run({
      branch: 'ignore-spellings',
      thresholds: [threshold],
      results: [
        bmf({ snake_bencher_ignore: 50, PascalBencherIgnore: 50, 'kebab-bencher-ignore': 50, plain: 50 }),
      ],
    });
    const got = report.results[0].benchmarks.map((b: any) => [
      b.benchmark.name,
      b.measures[0].alert !== null,
    ]);
    expect(got).toHaveLength(4);
    expect(got).toEqual(
      expect.arrayContaining([
        ['snake', false],
        ['Pascal', false],
        ['kebab', false],
        ['plain', true],
      ]),
    );
  });
});

describe('BMF leniency', () => {
  it('takes {} as an output with no benchmarks and ignores unknown metric fields', async () => {
    const empty = await run({ branch: 'bmf-lenient', results: ['{}'] });
    expect(empty.results).toEqual([]);
    const extra = await run({
      branch: 'bmf-lenient',
      results: ['{"b": {"latency": {"value": 5, "unit": "ns", "description": "a note"}}}'],
    });
    expect(extra.results[0].benchmarks[0].measures[0].value).toBe(5);
  });
});

describe('created by name', () => {
  it('gives a created testbed a suffixed slug when its derived slug is taken, and refuses a taken name', async () => {
    const q = 'mutation ($i: CreateResourceInput!) { createTestbed(input: $i) { name slug } }';
    const first = await owner.data(q, { i: { project: actors.publicProject, name: 'Rack 7' } });
    const second = await owner.data(q, { i: { project: actors.publicProject, name: 'rack 7' } });
    expect(first.createTestbed.slug).toBe('rack-7');
    expect(second.createTestbed).toMatchObject({
      name: 'rack 7',
      slug: expect.stringMatching(/^rack-7-[a-z0-9]{7}$/),
    });
    expect(await owner.errorCode(q, { i: { project: actors.publicProject, name: 'rack 7' } })).toBe(
      'CONFLICT',
    );
    // An explicit slug that is taken is the caller's conflict, not a new slug.
    expect(
      await owner.errorCode(q, { i: { project: actors.publicProject, name: 'Rack Eight', slug: 'rack-7' } }),
    ).toBe('CONFLICT');
  });
});
