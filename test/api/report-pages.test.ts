import { describe, expect, it } from 'vitest';
import { createActors } from '../helpers/actors.js';
import { startTestServer } from '../helpers/server.js';

const server = await startTestServer();
const actors = await createActors(server);
const owner = server.client(actors.owner);

const METRIC_FIELDS = `
  measure { slug name units }
  value lowerValue upperValue baseline lowerLimit upperLimit change
  alert { id status side value limit baseline }`;

const PAGE = `query ($id: UUID!, $first: Int, $after: String) {
  report(id: $id) {
    resultPage(first: $first, after: $after) {
      hasNextPage endCursor
      iterations { iteration benchmarks { benchmark { name } measures { ${METRIC_FIELDS} } } }
    }
  }
}`;

/** A local run of `count` benchmarks (b0000 …) with two measures each; returns the report id. */
async function report(count: number): Promise<string> {
  const bmf = Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `b${String(i).padStart(4, '0')}`,
      { latency: { value: i }, throughput: { value: i * 2 } },
    ]),
  );
  const data = await owner.data<{ createRun: { report: { id: string } } }>(
    'mutation ($input: CreateRunInput!) { createRun(input: $input) { report { id } } }',
    { input: { project: actors.publicProject, adapter: 'json', results: [JSON.stringify(bmf)] } },
  );
  return data.createRun.report.id;
}

describe('report results', () => {
  it('are read a page of benchmarks at a time, in name order, each benchmark with all its measures', async () => {
    const id = await report(260);
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const data: any = await owner.data(PAGE, { id, first: 100, after });
      const page = data.report.resultPage;
      pages++;
      for (const b of page.iterations[0].benchmarks) {
        expect(b.measures.map((m: any) => m.measure.slug)).toEqual(['latency', 'throughput']);
        names.push(b.benchmark.name);
      }
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(pages).toBe(3);
    expect(names).toEqual(Array.from({ length: 260 }, (_, i) => `b${String(i).padStart(4, '0')}`));
    // `results` without arguments is the first page.
    const first: any = await owner.data(
      'query ($id: UUID!) { report(id: $id) { results { benchmarks { benchmark { name } } } } }',
      { id },
    );
    expect(first.report.results[0].benchmarks).toHaveLength(100);
  });

  it('refuses a page over 250 benchmarks and a cursor that is not ours', async () => {
    const id = await report(3);
    const big = await owner.request(PAGE, { id, first: 251 });
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
    const forged = await owner.request(PAGE, { id, after: Buffer.from('["x", 1]').toString('base64url') });
    expect(forged.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_INPUT' },
      message: expect.stringMatching(/cursor/),
    });
  });

  it('counts what the lists can hold: one full page passes, a page of reports each with a full page does not', async () => {
    const id = await report(2);
    const one = await owner.request(PAGE, { id, first: 250 });
    expect(one.errors).toBeUndefined();
    const many = await owner.request(
      `query ($p: String!) { reports(project: $p, first: 50) { edges { node {
        results(first: 250) { iteration benchmarks { benchmark { name } measures { ${METRIC_FIELDS} } } }
      } } } }`,
      { p: actors.publicProject },
    );
    expect(many.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
    expect(many.errors?.[0]?.message).toMatch(/complexity/i);
    expect(many.data ?? null).toBeNull();
  });
});
