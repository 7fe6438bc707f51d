import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/cli/api/client.js';
import { registryExtension } from '../../src/server/registry/extension.js';
import { createActors } from '../helpers/actors.js';
import { startTestServer } from '../helpers/server.js';

const blobDir = await mkdtemp(join(tmpdir(), 'benchline-hardening-'));
afterAll(() => rm(blobDir, { recursive: true, force: true }));
// X-Forwarded-For from 127.0.0.1 is believed, so each test can speak from an address of its own.
const server = await startTestServer({
  config: { trustedProxies: ['127.0.0.1'], rateLimitPerMinute: { anonymous: 10, authenticated: 6000 } },
  extensions: [registryExtension({ blobDir })],
});
const actors = await createActors(server);
const others = await createActors(server);
const owner = server.client(actors.owner);

let address = 0;
const nextAddress = () => `198.51.100.${++address}`;

async function post(query: string, ip: string, token: string | null = null, variables = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': ip };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: any }> };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
}

const SET_ROLE =
  'mutation ($o: String!, $u: String!, $r: Role) { setMembership(organization: $o, user: $u, role: $r) }';
const slugOf = async (token: string) =>
  (await server.client(token).data<{ me: { slug: string } }>('{ me { slug } }')).me.slug;

describe('ownership', () => {
  it('refuses the last owner stepping down to VIEWER or MEMBER, as leaving is refused', async () => {
    const me = await slugOf(actors.owner);
    for (const role of ['VIEWER', 'MEMBER', null]) {
      const result = await owner.request(SET_ROLE, { o: actors.org, u: me, r: role });
      expect(result.errors?.[0]).toMatchObject({
        extensions: { code: 'BAD_INPUT' },
        message: expect.stringMatching(/at least one owner/),
      });
    }
    // Still the owner: owner-only operations work.
    expect((await owner.request(SET_ROLE, { o: actors.org, u: me, r: 'OWNER' })).errors).toBeUndefined();
  });

  it('lets one of two owners step down, and of two owners demoting each other at once only one succeeds', async () => {
    const [a, b] = [others.owner, others.member];
    const [slugA, slugB] = [await slugOf(a), await slugOf(b)];
    await server.client(a).data(SET_ROLE, { o: others.org, u: slugB, r: 'OWNER' });
    const results = await Promise.all([
      server.client(a).request(SET_ROLE, { o: others.org, u: slugB, r: 'VIEWER' }),
      server.client(b).request(SET_ROLE, { o: others.org, u: slugA, r: 'VIEWER' }),
    ]);
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    const owners = await server.database.db
      .selectFrom('membership')
      .innerJoin('organization', 'organization.id', 'membership.organization_id')
      .select('membership.user_id')
      .where('organization.slug', '=', others.org)
      .where('membership.role', '=', 'OWNER')
      .execute();
    expect(owners).toHaveLength(1);
  });
});

describe('throttling', () => {
  it('answers a rate-limited request HTTP 429 with Retry-After', async () => {
    const ip = nextAddress();
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await post('{ __typename }', ip));
    expect(answers.slice(0, 10).every((a) => a.status === 200)).toBe(true);
    const limited = answers[10]!;
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
    expect(limited.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.body.errors?.[0]?.extensions?.http).toBeUndefined();
    // Another address is not affected.
    expect((await post('{ __typename }', nextAddress())).status).toBe(200);
  });

  it('throttles unknown bearer tokens per source address; while throttled a valid token is not even looked up', async () => {
    const ip = nextAddress();
    for (let i = 0; i < 10; i++) {
      const guess = await post('{ me { slug } }', ip, `blu_guess${i}`);
      expect(guess.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const throttled = await post('{ me { slug } }', ip, actors.owner);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(throttled.body.errors?.[0]?.message).toMatch(/failed sign-ins/);
    // The owner from their own address is served.
    expect((await post('{ me { slug } }', nextAddress(), actors.owner)).body.data.me.slug).toBeTruthy();
    // Valid tokens never count as failures.
    const fine = nextAddress();
    for (let i = 0; i < 15; i++) expect((await post('{ me { slug } }', fine, actors.owner)).status).toBe(200);
  });

  it('throttles failed registry logins on /v2/token per source address (429 TOO_MANY_REQUESTS)', async () => {
    const ip = nextAddress();
    const login = (password: string) =>
      fetch(`${server.url}/v2/token?scope=repository:x/y:pull`, {
        headers: {
          authorization: `Basic ${Buffer.from(`u:${password}`).toString('base64')}`,
          'x-forwarded-for': ip,
        },
      });
    for (let i = 0; i < 10; i++) expect((await login(`blu_wrong${i}`)).status).toBe(401);
    const throttled = await login(actors.owner);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await throttled.json()) as any).errors[0].code).toBe('TOO_MANY_REQUESTS');
  });
});

describe('the CLI under a rate limit', () => {
  it('waits what Retry-After says (even for a mutation: a refused request did nothing), then gets its answer', async () => {
    // Anonymous, from 127.0.0.1: the setup's signups used most of the address's 10 a minute.
    const waits: number[] = [];
    const client = createApiClient(
      { host: server.url, token: null, tokenSource: 'none' },
      {
        retry: {
          attempts: 20,
          sleep: (ms) => {
            waits.push(ms);
            return new Promise((resolve) => setTimeout(resolve, ms));
          },
        },
      },
    );
    for (let i = 0; i < 12; i++) {
      const data = await client.request<{ __typename: string }, Record<string, never>>(
        'mutation { __typename }',
      );
      expect(data.__typename).toBe('Mutation');
      if (waits.length) break;
    }
    expect(waits.length).toBeGreaterThan(0);
    // A 10/min bucket refills a request every 6 s: the CLI waited for it, not its own 250 ms backoff.
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(1000);
  }, 60_000);

  it('shows RATE_LIMITED with its hint when Retry-After is longer than it should sit silent', async () => {
    const client = createApiClient(
      { host: server.url, token: null, tokenSource: 'none' },
      { retry: { attempts: 5, maxRetryAfterMs: 10, sleep: async () => {} } },
    );
    let error: unknown;
    for (let i = 0; i < 15 && !error; i++) {
      await client.request('{ __typename }').catch((e) => {
        error = e;
      });
    }
    expect(error).toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe('private and missing things', () => {
  it('answer with the same message', async () => {
    const stranger = server.client(actors.stranger);
    const project = 'query ($p: String!) { project(slug: $p) { id } }';
    const hidden = await stranger.request(project, { p: actors.privateProject });
    const missing = await stranger.request(project, { p: `${actors.privateProject}-nope` });
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(hidden.errors?.[0]?.message.replace(actors.privateProject, '…')).toBe(
      missing.errors?.[0]?.message.replace(`${actors.privateProject}-nope`, '…'),
    );

    const report = await owner.data<{ createRun: { report: { id: string } } }>(
      'mutation ($input: CreateRunInput!) { createRun(input: $input) { report { id } } }',
      {
        input: {
          project: actors.privateProject,
          adapter: 'json',
          results: [JSON.stringify({ b: { latency: { value: 1 } } })],
        },
      },
    );
    const read = 'query ($id: UUID!) { report(id: $id) { id } }';
    const privateReport = await stranger.request(read, { id: report.createRun.report.id });
    const noReport = await stranger.request(read, { id: '00000000-0000-4000-8000-000000000000' });
    expect(privateReport.errors?.[0]).toEqual(noReport.errors?.[0] && { ...noReport.errors[0] });
    expect(privateReport.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const org = 'query ($o: String!) { organization(slug: $o) { id } }';
    const hiddenOrg = await stranger.request(org, { o: actors.org });
    const missingOrg = await stranger.request(org, { o: `${actors.org}-nope` });
    expect(hiddenOrg.errors?.[0]?.message.replace(actors.org, '…')).toBe(
      missingOrg.errors?.[0]?.message.replace(`${actors.org}-nope`, '…'),
    );
  });
});
