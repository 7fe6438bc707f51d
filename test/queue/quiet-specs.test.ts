// An idle re-poll for a spec known to have no PENDING job asks the database nothing
// (queue/quiet-specs.ts, issue 23 §2), and a job that arrives after is still found.
import { afterAll, expect, it } from 'vitest';
import { RunnerClient } from '../../src/runner/client.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { startTestServer } from '../helpers/server.js';
import { createRunner, createSpec, createTenant, submit } from './fixtures.js';

let claimStatements = 0;
const server = await startTestServer({
  extensions: [queueExtension({ sweeperTimer: false })],
  // The claim's candidate statement (find-candidate.ts): every claim attempt that asks sends one.
  onQuery: (text) => {
    if (text.includes('FOR UPDATE OF j SKIP LOCKED')) claimStatements++;
  },
});
const { db } = server.database;
await createSpec(db, 'quiet-default', true);
const tenant = await createTenant(db, 'ENTERPRISE');
const [sleeper, poller] = await Promise.all(
  [0, 1].map(
    async () =>
      new RunnerClient({ serverUrl: server.url, key: (await createRunner(server, ['quiet-default'])).key }),
  ),
);
afterAll(async () => {
  await sleeper?.close();
  await poller?.close();
});

it('re-polls an empty queue without a claim statement, and still gets the next job', async () => {
  const runner = sleeper as RunnerClient;
  const other = poller as RunnerClient;
  // A long-poll that found the queue empty holds the spec's interest here while it sleeps.
  const before = claimStatements;
  const waiting = runner.claimJob(undefined, 20, { attempts: 1 });
  for (let i = 0; i < 100 && claimStatements === before; i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  const asked = claimStatements;
  // Re-polls of another runner of the spec: the queue is known empty, the database is not asked.
  for (let i = 0; i < 3; i++) expect(await other.claimJob(undefined, 0, { attempts: 1 })).toBeNull();
  expect(claimStatements - asked).toBe(0);
  // A job submitted now is heard of (its queue event): it reaches a runner.
  const job = await submit(server, tenant);
  const claimed = await waiting;
  expect(claimed?.id).toBe(job.id);
  // No long-poll waits here any more (its events may no longer reach this server): the next poll asks.
  const beforeNext = claimStatements;
  expect(await other.claimJob(undefined, 0, { attempts: 1 })).toBeNull();
  expect(claimStatements - beforeNext).toBe(1);
});
