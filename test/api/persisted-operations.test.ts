// Persisted operations: the runner names its documents by id (src/runner/document-ids.ts), and the
// server answers those calls without yoga (src/server/http/persisted-request.ts). Every answer must
// be the one yoga gives the same call sent as a document: status, headers, body.
import { afterAll, describe, expect, it } from 'vitest';
import { RunnerClient } from '../../src/runner/client.js';
import { RUNNER_DOCUMENT_IDS } from '../../src/runner/document-ids.js';
import { CLAIM_JOB, COMPLETE_JOB, HEARTBEAT_JOB } from '../../src/runner/operations.js';
import { claimWaitersFor } from '../../src/server/queue/claim-waiters.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { until } from '../helpers/processes.js';
import { startTestServer } from '../helpers/server.js';
import { createRunner, createSpec, createTenant, submit } from '../queue/fixtures.js';

const server = await startTestServer({
  extensions: [queueExtension({ sweeperTimer: false })],
  // The throttle on failed keys is per address: its test comes from one of its own (X-Forwarded-For).
  config: { authFailuresPerMinute: 2, trustedProxies: ['127.0.0.1'] },
});
const { db } = server.database;
await createSpec(db, 'po-default', true);
const runnerHandle = await createRunner(server, ['po-default']);
const clients: RunnerClient[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));

interface Answer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  body: unknown;
}

async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    retryAfter: res.headers.get('retry-after'),
    body: JSON.parse(text),
  };
}

const byId = (document: string, variables: unknown) => ({
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: RUNNER_DOCUMENT_IDS.get(document) } },
});

/** The same call as a document (yoga) and by id (the direct path): both answers. */
async function both(document: string, variables: unknown, headers: Record<string, string> = {}) {
  const asDocument = await post({ query: document, variables }, headers);
  const asId = await post(byId(document, variables), headers);
  return { asDocument, asId };
}

const runnerKey = { authorization: `Bearer ${runnerHandle.key}` };
const missingJob = '00000000-0000-4000-8000-000000000000';

describe('a runner call by id', () => {
  it('answers as the document does: data', async () => {
    const { asDocument, asId } = await both(CLAIM_JOB, { waitSeconds: 0 }, runnerKey);
    expect(asId).toEqual(asDocument);
    expect(asId).toMatchObject({ status: 200, body: { data: { claimJob: null } } });
  });

  it.each([
    ['a typed error from the resolver', HEARTBEAT_JOB, { jobId: missingJob }, runnerKey],
    ['a variable that is not a UUID', HEARTBEAT_JOB, { jobId: 'nope' }, runnerKey],
    ['a missing variable', COMPLETE_JOB, { jobId: missingJob }, runnerKey],
    ['a variable holding NUL', HEARTBEAT_JOB, { jobId: 'a\u0000b' }, runnerKey],
    ['no credentials', HEARTBEAT_JOB, { jobId: missingJob }, {}],
    [
      'a user instead of a runner',
      HEARTBEAT_JOB,
      { jobId: missingJob },
      { authorization: `Bearer ${server.adminToken}` },
    ],
    [
      'application/json only',
      HEARTBEAT_JOB,
      { jobId: missingJob },
      { ...runnerKey, accept: 'application/json' },
    ],
  ])('answers as the document does: %s', async (_what, document, variables, headers) => {
    const { asDocument, asId } = await both(document, variables, headers);
    expect(asDocument.body).toHaveProperty('errors');
    expect(asId).toEqual(asDocument);
  });

  it('answers as the document does: an unknown key, then the throttle on failed keys (429, Retry-After)', async () => {
    const bad = { authorization: 'Bearer bl_runner_not-a-key', 'x-forwarded-for': '198.51.100.23' };
    const first = await both(HEARTBEAT_JOB, { jobId: missingJob }, bad);
    expect(first.asId).toEqual(first.asDocument);
    expect(first.asId.body).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    const throttled = await both(HEARTBEAT_JOB, { jobId: missingJob }, bad);
    expect(throttled.asId).toEqual(throttled.asDocument);
    expect(throttled.asId).toMatchObject({
      status: 429,
      body: { errors: [{ extensions: { code: 'RATE_LIMITED' } }] },
    });
    expect(Number(throttled.asId.retryAfter)).toBeGreaterThan(0);
  });

  it('runs an id through yoga too, for a request the direct path leaves to it (a browser’s, with Origin)', async () => {
    const browser = { ...runnerKey, origin: 'http://127.0.0.1:1' };
    const answer = await post(byId(CLAIM_JOB, { waitSeconds: 0 }), browser);
    expect(answer).toMatchObject({ status: 200, body: { data: { claimJob: null } } });
    const refused = await post(byId(HEARTBEAT_JOB, { jobId: 'a\u0000b' }), browser);
    expect(refused.body).toMatchObject({
      errors: [{ extensions: { code: 'BAD_INPUT', field: 'variable $jobId' } }],
    });
  });

  it('refuses an id the server does not know with a typed error', async () => {
    const answer = await post(
      { variables: {}, extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } },
      runnerKey,
    );
    expect(answer.body).toMatchObject({
      errors: [
        {
          extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
          message: expect.stringMatching(/send the document/),
        },
      ],
    });
    expect(answer.body).not.toHaveProperty('data.claimJob');
  });

  it('runs the document sent with an id as sent', async () => {
    const answer = await post(
      {
        query: '{ __typename }',
        extensions: { persistedQuery: { version: 1, sha256Hash: RUNNER_DOCUMENT_IDS.get(CLAIM_JOB) } },
      },
      runnerKey,
    );
    expect(answer.body).toEqual({ data: { __typename: 'Query' } });
  });

  it.each([[true], [false]])(
    'ends a long-poll when the runner gives it up (by id: %s), so no job goes to a runner that left',
    async (persistedOperations) => {
      const gone = new RunnerClient({ serverUrl: server.url, key: runnerHandle.key, persistedOperations });
      const other = new RunnerClient({
        serverUrl: server.url,
        key: (await createRunner(server, ['po-default'])).key,
      });
      clients.push(gone, other);
      const waiters = claimWaitersFor(server.deps.events);
      const abort = new AbortController();
      const abandoned = gone
        .claimJob(undefined, 50, { signal: abort.signal, attempts: 1 })
        .catch((e: unknown) => e);
      await until('the long-poll to wait on the server', () => waiters.size === 1, 10_000, 20);
      abort.abort();
      await abandoned;
      await until('the server to drop the abandoned long-poll', () => waiters.size === 0, 10_000, 20);
      const job = await submit(server, await createTenant(db, 'ENTERPRISE'));
      expect((await other.claimJob(undefined, 10, { attempts: 1, start: true }))?.id).toBe(job.id);
      await other.failJob(job.id, 'RUNNER_ERROR', 'test over', { attempts: 1 });
    },
  );
});
