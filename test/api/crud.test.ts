import { describe, expect, it } from 'vitest';
import { createActors } from '../helpers/actors.js';
import { startTestServer } from '../helpers/server.js';

const server = await startTestServer();
const actors = await createActors(server);
const owner = server.client(actors.owner);
const admin = server.client(server.adminToken);

async function count(table: 'branch' | 'project' | 'spec' | 'testbed' | 'measure'): Promise<number> {
  const row = await server.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('create, read, update, archive', () => {
  it('round-trips a branch through create, update and archive', async () => {
    const created = await owner.data(
      'mutation ($i: CreateResourceInput!) { createBranch(input: $i) { id name slug archived } }',
      { i: { project: actors.publicProject, name: 'Feature X' } },
    );
    expect(created.createBranch).toMatchObject({ name: 'Feature X', slug: 'feature-x', archived: false });
    const id = created.createBranch.id;
    const updated = await owner.data(
      'mutation ($id: UUID!) { updateBranch(id: $id, input: { name: "feature-y", archived: true }) { name archived } }',
      { id },
    );
    expect(updated.updateBranch).toEqual({ name: 'feature-y', archived: true });
    const list = await owner.data('query ($p: String!) { branches(project: $p) { edges { node { id } } } }', {
      p: actors.publicProject,
    });
    expect(list.branches.edges.map((e: any) => e.node.id)).not.toContain(id);
    const archived = await owner.data(
      'query ($p: String!) { branches(project: $p, archived: true) { edges { node { id } } } }',
      { p: actors.publicProject },
    );
    expect(archived.branches.edges.map((e: any) => e.node.id)).toContain(id);
  });

  it('creates a testbed on a spec and a measure with units', async () => {
    await admin.data(
      'mutation { createSpec(input: { name: "tb-spec", cpu: 4, memory: 8e9, disk: 1e11 }) { id } }',
    );
    const tb = await owner.data(
      'mutation ($i: CreateResourceInput!) { createTestbed(input: $i) { slug spec { slug cpu } } }',
      { i: { project: actors.publicProject, name: 'ci-runner', spec: 'tb-spec' } },
    );
    expect(tb.createTestbed).toEqual({ slug: 'ci-runner', spec: { slug: 'tb-spec', cpu: 4 } });
    const m = await owner.data(
      'mutation ($i: CreateResourceInput!) { createMeasure(input: $i) { slug units } }',
      {
        i: { project: actors.publicProject, name: 'Allocations', units: 'bytes' },
      },
    );
    expect(m.createMeasure).toEqual({ slug: 'allocations', units: 'bytes' });
  });
});

describe('bad input gives a typed error and writes nothing', () => {
  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    [
      'a bad slug',
      'mutation ($i: CreateResourceInput!) { createBranch(input: $i) { id } }',
      { i: { project: '', name: 'x', slug: 'Bad Slug!' } },
      'BAD_INPUT',
    ],
    [
      'an empty name',
      'mutation ($i: CreateResourceInput!) { createBranch(input: $i) { id } }',
      { i: { project: '', name: '   ' } },
      'BAD_INPUT',
    ],
    [
      'an oversized name',
      'mutation ($i: CreateResourceInput!) { createBranch(input: $i) { id } }',
      { i: { project: '', name: 'x'.repeat(300) } },
      'BAD_INPUT',
    ],
    [
      'a wrong type',
      'mutation ($i: CreateResourceInput!) { createBranch(input: $i) { id } }',
      { i: { project: '', name: 42 } },
      'BAD_INPUT',
    ],
    [
      'a missing field',
      'mutation ($i: CreateResourceInput!) { createBranch(input: $i) { id } }',
      { i: { project: '' } },
      'BAD_INPUT',
    ],
    [
      'a start point hash without a start point',
      'mutation ($i: CreateResourceInput!) { createBranch(input: $i) { id } }',
      { i: { project: '', name: 'hash-only', startPointHash: 'abc1234' } },
      'BAD_INPUT',
    ],
    ['a malformed id', 'mutation { updateBranch(id: "nope", input: { name: "x" }) { id } }', {}, 'BAD_INPUT'],
    ['an unknown field', '{ project(slug: "x") { nope } }', {}, 'BAD_INPUT'],
  ];
  for (const [name, query, variables, code] of cases) {
    it(name, async () => {
      const before = await count('branch');
      const vars = JSON.parse(
        JSON.stringify(variables).replaceAll('""', JSON.stringify(actors.publicProject)),
      );
      expect(await owner.errorCode(query, vars)).toBe(code);
      expect(await count('branch')).toBe(before);
    });
  }

  it('a duplicate slug is a CONFLICT and the first stays', async () => {
    const q = 'mutation ($i: CreateResourceInput!) { createTestbed(input: $i) { id } }';
    await owner.data(q, { i: { project: actors.publicProject, name: 'dup' } });
    const before = await count('testbed');
    expect(await owner.errorCode(q, { i: { project: actors.publicProject, name: 'dup' } })).toBe('CONFLICT');
    expect(await count('testbed')).toBe(before);
  });

  it('a spec with a negative size is refused', async () => {
    const before = await count('spec');
    expect(
      await admin.errorCode(
        'mutation { createSpec(input: { name: "neg", cpu: -1, memory: 1, disk: 1 }) { id } }',
      ),
    ).toBe('BAD_INPUT');
    expect(await count('spec')).toBe(before);
  });

  it("a spec's process limit defaults to 512, must be positive and can be changed", async () => {
    const before = await count('spec');
    expect(
      await admin.errorCode(
        'mutation { createSpec(input: { name: "no-procs", cpu: 1, memory: 1, disk: 1, processes: 0 }) { id } }',
      ),
    ).toBe('BAD_INPUT');
    expect(await count('spec')).toBe(before);
    const created = await admin.data(
      'mutation { createSpec(input: { name: "procs", cpu: 1, memory: 1, disk: 1 }) { processes } }',
    );
    expect(created.createSpec.processes).toBe(512);
    const updated = await admin.data(
      'mutation { updateSpec(slug: "procs", input: { processes: 64 }) { processes } }',
    );
    expect(updated.updateSpec.processes).toBe(64);
    expect(
      await admin.errorCode('mutation { updateSpec(slug: "procs", input: { processes: -3 }) { id } }'),
    ).toBe('BAD_INPUT');
  });
});

describe('pagination', () => {
  it('walks every item exactly once with first/after, and backwards with last/before', async () => {
    const names = Array.from({ length: 23 }, (_, i) => `page-${String(i).padStart(2, '0')}`);
    for (const name of names) {
      await owner.data('mutation ($i: CreateResourceInput!) { createMeasure(input: $i) { id } }', {
        i: { project: actors.privateProject, name },
      });
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await owner.data(
        'query ($p: String!, $a: String) { measures(project: $p, first: 5, after: $a) { edges { node { name } } pageInfo { hasNextPage endCursor } } }',
        { p: actors.privateProject, a: after },
      );
      seen.push(...page.measures.edges.map((e: any) => e.node.name));
      if (!page.measures.pageInfo.hasNextPage) break;
      after = page.measures.pageInfo.endCursor;
    }
    expect(seen).toEqual(names);
    const last: any = await owner.data(
      'query ($p: String!) { measures(project: $p, last: 3) { edges { node { name } } } }',
      { p: actors.privateProject },
    );
    expect(last.measures.edges.map((e: any) => e.node.name)).toEqual(names.slice(-3));
    expect(
      await owner.errorCode(
        'query ($p: String!) { measures(project: $p, after: "garbage") { edges { cursor } } }',
        {
          p: actors.privateProject,
        },
      ),
    ).toBe('BAD_INPUT');
  });
});

describe('default spec', () => {
  it('moves the default and never has two, even under concurrent updates', async () => {
    const slugs = Array.from({ length: 8 }, (_, i) => `default-${i}`);
    for (const slug of slugs) {
      await admin.data(
        'mutation ($n: String!) { createSpec(input: { name: $n, cpu: 1, memory: 1e9, disk: 1e9 }) { id } }',
        {
          n: slug,
        },
      );
    }
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        slugs.map((slug) =>
          admin.request(
            'mutation ($s: String!) { updateSpec(slug: $s, input: { isDefault: true }) { isDefault } }',
            {
              s: slug,
            },
          ),
        ),
      );
      for (const r of results) expect(r.errors).toBeUndefined();
      const defaults = await server.database.db
        .selectFrom('spec')
        .select('slug')
        .where('is_default', 'is not', null)
        .execute();
      expect(defaults).toHaveLength(1);
    }
    await admin.data('mutation { updateSpec(slug: "default-3", input: { isDefault: true }) { id } }');
    const specs = await admin.data('{ specs(first: 100) { edges { node { slug isDefault } } } }');
    const defaults = specs.specs.edges.filter((e: any) => e.node.isDefault).map((e: any) => e.node.slug);
    expect(defaults).toEqual(['default-3']);
  });
});
