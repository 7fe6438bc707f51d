// A runner's claimJob long-poll through haproxy, configured as docs/operations.md says. Without
// `option abortonclose` haproxy keeps the server-side request open after the runner went away
// (it stopped, restarted or timed out), and the server hands the next job to that ghost: the job
// sits CLAIMED by nobody until the heartbeat timeout fails it. The several-servers e2e found it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CallAbortedError, RunnerClient } from '../../src/runner/client.js';
import { claimWaitersFor } from '../../src/server/queue/claim-waiters.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { type Balancer, startHaproxy } from '../helpers/haproxy.js';
import { until } from '../helpers/processes.js';
import { startTestServer } from '../helpers/server.js';
import { createRunner, createSpec, createTenant, jobStatus, submit } from '../queue/fixtures.js';

const server = await startTestServer({ extensions: [queueExtension({ sweeperTimer: false })] });
const { db } = server.database;
const dir = await mkdtemp(join(tmpdir(), 'benchline-lb-poll-'));
let balancer: Balancer | undefined;
const clients: RunnerClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await balancer?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('claimJob long-poll behind haproxy', () => {
  it('a runner that gives up its long-poll is not handed the next job: another runner gets it', async () => {
    balancer = await startHaproxy({
      dir,
      backends: [{ name: 's1', port: Number(new URL(server.url).port) }],
    });
    await createSpec(db, 'lb-poll', true);
    const runner = async () => {
      const handle = await createRunner(server, ['lb-poll']);
      const calls = new RunnerClient({ serverUrl: balancer!.url, key: handle.key });
      clients.push(calls);
      return { id: handle.id, calls };
    };
    const gone = await runner();
    const other = await runner();
    const waiters = claimWaitersFor(server.deps.events);

    const abort = new AbortController();
    const abandoned = gone.calls.claimJob(undefined, 50, { signal: abort.signal, attempts: 1 });
    await until('the long-poll to wait on the server', () => waiters.size === 1, 10_000, 20);
    abort.abort();
    await expect(abandoned).rejects.toBeInstanceOf(CallAbortedError);
    // haproxy passes the abort on: the server stops waiting for the runner that left.
    await until('the server to drop the abandoned long-poll', () => waiters.size === 0, 10_000, 20);

    const job = await submit(server, await createTenant(db, 'ENTERPRISE'));
    const claimed = await other.calls.claimJob(undefined, 10, { attempts: 1 });
    expect(claimed?.id).toBe(job.id);
    const row = await db
      .selectFrom('job')
      .select('runner_id')
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(row.runner_id).toBe(other.id);
    expect((await jobStatus(db, job.id)).status).toBe('CLAIMED');
  });
});
