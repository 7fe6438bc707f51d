import { describe, expect, it } from 'vitest';
import { type ActorName, type Actors, createActors, ROLES } from '../helpers/actors.js';
import { startTestServer } from '../helpers/server.js';

const server = await startTestServer();
const actors = await createActors(server);

type Outcome = 'ok' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED';

interface Operation {
  name: string;
  query: string;
  variables: (a: Actors, unique: string) => Record<string, unknown>;
  expect: Record<ActorName, Outcome>;
}

const readPublic: Record<ActorName, Outcome> = {
  anonymous: 'ok',
  viewer: 'ok',
  member: 'ok',
  owner: 'ok',
  stranger: 'ok',
  admin: 'ok',
  runner: 'ok',
};
const readPrivate: Record<ActorName, Outcome> = {
  anonymous: 'NOT_FOUND',
  viewer: 'ok',
  member: 'ok',
  owner: 'ok',
  stranger: 'NOT_FOUND',
  admin: 'ok',
  runner: 'NOT_FOUND',
};
const writePublic: Record<ActorName, Outcome> = {
  anonymous: 'UNAUTHENTICATED',
  viewer: 'FORBIDDEN',
  member: 'ok',
  owner: 'ok',
  stranger: 'FORBIDDEN',
  admin: 'ok',
  runner: 'FORBIDDEN',
};
const writePrivate: Record<ActorName, Outcome> = { ...readPrivate, viewer: 'FORBIDDEN' };
const ownPublic: Record<ActorName, Outcome> = { ...writePublic, member: 'FORBIDDEN' };
const adminOnly: Record<ActorName, Outcome> = {
  anonymous: 'UNAUTHENTICATED',
  viewer: 'FORBIDDEN',
  member: 'FORBIDDEN',
  owner: 'FORBIDDEN',
  stranger: 'FORBIDDEN',
  admin: 'ok',
  runner: 'FORBIDDEN',
};
const signedIn: Record<ActorName, Outcome> = {
  anonymous: 'UNAUTHENTICATED',
  viewer: 'ok',
  member: 'ok',
  owner: 'ok',
  stranger: 'ok',
  admin: 'ok',
  runner: 'FORBIDDEN',
};

const resource = (kind: string, project: 'publicProject' | 'privateProject') =>
  ({
    query: `mutation ($input: CreateResourceInput!) { create${kind}(input: $input) { id } }`,
    variables: (a: Actors, u: string) => ({
      input: { project: a[project], name: `${kind.toLowerCase()}-${u}` },
    }),
  }) as const;

const operations: Operation[] = [
  {
    name: 'read a public project',
    query: 'query ($p: String!) { project(slug: $p) { id } }',
    variables: (a) => ({ p: a.publicProject }),
    expect: readPublic,
  },
  {
    name: 'read a private project',
    query: 'query ($p: String!) { project(slug: $p) { id } }',
    variables: (a) => ({ p: a.privateProject }),
    expect: readPrivate,
  },
  {
    name: 'list branches of a private project',
    query: 'query ($p: String!) { branches(project: $p) { edges { node { id } } } }',
    variables: (a) => ({ p: a.privateProject }),
    expect: readPrivate,
  },
  {
    name: 'create a branch in a public project',
    ...resource('Branch', 'publicProject'),
    expect: writePublic,
  },
  {
    name: 'create a testbed in a private project',
    ...resource('Testbed', 'privateProject'),
    expect: writePrivate,
  },
  {
    name: 'create a measure in a public project',
    ...resource('Measure', 'publicProject'),
    expect: writePublic,
  },
  {
    name: 'create a benchmark in a public project',
    ...resource('Benchmark', 'publicProject'),
    expect: writePublic,
  },
  {
    name: 'rename a project (owners)',
    query: 'mutation ($p: String!, $n: String!) { updateProject(project: $p, input: { name: $n }) { id } }',
    variables: (a, u) => ({ p: a.publicProject, n: `renamed ${u}` }),
    expect: ownPublic,
  },
  {
    name: 'create a project in the organization',
    query: 'mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }',
    variables: (a, u) => ({ input: { organization: a.org, name: `p-${u}` } }),
    expect: { ...writePublic, stranger: 'NOT_FOUND' },
  },
  {
    name: 'manage members (owners)',
    query: 'mutation ($o: String!) { setMembership(organization: $o, user: "admin", role: VIEWER) }',
    variables: (a) => ({ o: a.org }),
    expect: { ...ownPublic, stranger: 'NOT_FOUND' },
  },
  {
    name: 'create a spec (admin)',
    query:
      'mutation ($n: String!) { createSpec(input: { name: $n, cpu: 2, memory: 1e9, disk: 1e10 }) { id } }',
    variables: (_a, u) => ({ n: `spec-${u}` }),
    expect: adminOnly,
  },
  {
    name: 'create a runner (admin)',
    query: 'mutation ($n: String!) { createRunner(name: $n, specs: []) { key } }',
    variables: (_a, u) => ({ n: `runner-${u}` }),
    expect: adminOnly,
  },
  {
    name: 'list runners (admin)',
    query: '{ runners { edges { node { id } } } }',
    variables: () => ({}),
    expect: adminOnly,
  },
  {
    name: 'create an API token',
    query: 'mutation ($n: String!) { createToken(name: $n) { secret } }',
    variables: (_a, u) => ({ n: `token-${u}` }),
    expect: signedIn,
  },
  {
    name: 'list my organizations',
    query: '{ organizations { edges { node { slug } } } }',
    variables: () => ({}),
    expect: signedIn,
  },
];

let unique = 0;

describe('authorization matrix', () => {
  for (const op of operations) {
    describe(op.name, () => {
      for (const role of ROLES) {
        it(`${role} → ${op.expect[role]}`, async () => {
          const result = await server
            .client(actors[role])
            .request(op.query, op.variables(actors, `${role}-${++unique}`));
          const outcome = result.errors?.length ? result.errors[0].extensions?.code : 'ok';
          expect(outcome, JSON.stringify(result.errors)).toBe(op.expect[role]);
        });
      }
    });
  }

  it('hides private projects from listings of callers who cannot read them', async () => {
    const query = '{ projects(first: 500) { edges { node { slug } } } }';
    const slugs = async (token: string | null) =>
      (await server.client(token).data(query)).projects.edges.map((e: any) => e.node.slug);
    expect(await slugs(null)).not.toContain(actors.privateProject);
    expect(await slugs(actors.stranger)).not.toContain(actors.privateProject);
    expect(await slugs(actors.viewer)).toContain(actors.privateProject);
    expect(await slugs(null)).toContain(actors.publicProject);
  });
});
