import type { TestServer } from './server.js';

/** Everyone an authorization test needs, each with a token. */
export interface Actors {
  anonymous: null;
  viewer: string;
  member: string;
  owner: string;
  stranger: string;
  admin: string;
  runner: string;
  org: string;
  publicProject: string;
  privateProject: string;
}

let counter = 0;

async function signup(server: TestServer, name: string): Promise<string> {
  const data = await server
    .client()
    .data<{ signup: { secret: string } }>(
      'mutation ($input: SignupInput!) { signup(input: $input) { secret } }',
      { input: { name } },
    );
  return data.signup.secret;
}

/** An organization with an owner, a member and a viewer, a public and a private project, a stranger with their own org, and a runner. */
export async function createActors(server: TestServer): Promise<Actors> {
  const n = ++counter;
  const suffix = `${n}-${Math.random().toString(36).slice(2, 7)}`;
  const [owner, member, viewer, stranger] = await Promise.all(
    ['owner', 'member', 'viewer', 'stranger'].map((role) => signup(server, `${role}-${suffix}`)),
  );
  const org = `org-${suffix}`;
  await server
    .client(owner)
    .data('mutation ($n: String!) { createOrganization(name: $n) { id } }', { n: org });
  await server.client(stranger).data('mutation ($n: String!) { createOrganization(name: $n) { id } }', {
    n: `other-${suffix}`,
  });
  for (const [token, role] of [
    [member, 'MEMBER'],
    [viewer, 'VIEWER'],
  ] as const) {
    const me = await server.client(token).data<{ me: { slug: string } }>('{ me { slug } }');
    await server
      .client(owner)
      .data(
        'mutation ($o: String!, $u: String!, $r: Role) { setMembership(organization: $o, user: $u, role: $r) }',
        {
          o: org,
          u: me.me.slug,
          r: role,
        },
      );
  }
  const create = 'mutation ($input: CreateProjectInput!) { createProject(input: $input) { slug } }';
  const publicProject = `pub-${suffix}`;
  const privateProject = `priv-${suffix}`;
  await server
    .client(owner)
    .data(create, { input: { organization: org, name: publicProject, visibility: 'PUBLIC' } });
  await server
    .client(owner)
    .data(create, { input: { organization: org, name: privateProject, visibility: 'PRIVATE' } });
  const runner = await server
    .client(server.adminToken)
    .data<{ createRunner: { key: string } }>(
      'mutation ($n: String!) { createRunner(name: $n, specs: []) { key } }',
      { n: `runner-${suffix}` },
    );
  return {
    anonymous: null,
    viewer,
    member,
    owner,
    stranger,
    admin: server.adminToken,
    runner: runner.createRunner.key,
    org,
    publicProject,
    privateProject,
  };
}

export const ROLES = ['anonymous', 'viewer', 'member', 'owner', 'stranger', 'admin', 'runner'] as const;
export type ActorName = (typeof ROLES)[number];
