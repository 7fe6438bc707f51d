import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';

// Every statement the server runs, so a test can see how many a request costs.
const statements: string[] = [];
const server = await startTestServer({ onQuery: (sql) => statements.push(sql) });
const admin = server.client(server.adminToken);

async function statementsFor(query: string): Promise<number> {
  statements.length = 0;
  await admin.data(query);
  return statements.length;
}

async function addRunners(count: number, offset: number) {
  for (let i = 0; i < count; i++) {
    await admin.data('mutation ($n: String!) { createRunner(name: $n, specs: ["s-a", "s-b"]) { key } }', {
      n: `runner-${offset + i}`,
    });
  }
}

describe('nested lists cost one query per level', () => {
  it('runners with their specs: the same number of statements for 2 runners and for 12', async () => {
    for (const name of ['s-a', 's-b']) {
      await admin.data(
        'mutation ($n: String!) { createSpec(input: { name: $n, cpu: 1, memory: 1e9, disk: 1e9 }) { id } }',
        {
          n: name,
        },
      );
    }
    const query = '{ runners(first: 100) { edges { node { slug specs { slug cpu } } } } }';
    await addRunners(2, 0);
    const few = await statementsFor(query);
    await addRunners(10, 2);
    const many = await statementsFor(query);
    expect(many).toBe(few);
    // authenticate, the page, the specs of every runner at once
    expect(few).toBeLessThanOrEqual(3);
  });
});

describe('limits', () => {
  it('refuses a query deeper than the depth limit', async () => {
    let query = 'slug';
    for (let i = 0; i < 14; i++) query = `startPoint { ${query} }`;
    const code = await admin.errorCode(`{ branches(project: "x") { edges { node { ${query} } } } }`);
    expect(code).toBe('BAD_INPUT');
  });

  it('refuses a query whose cost is too high', async () => {
    const fields = Array.from(
      { length: 40 },
      (_, i) => `r${i}: runners(first: 500) { edges { node { specs { slug } } } }`,
    );
    const result = await admin.request(`{ ${fields.join(' ')} }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/complexity/i);
  });
});
