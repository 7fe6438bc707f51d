import { describe, expect, it } from 'vitest';
import { queueExtension } from '../../src/server/queue/extension.js';
import { TIER_PRIORITY } from '../../src/server/queue/tier.js';
import { startTestServer } from '../helpers/server.js';
import {
  createMember,
  createRunner,
  createSpec,
  createTenant,
  insertPendingJobs,
  runnerApi,
} from './fixtures.js';

const server = await startTestServer({ extensions: [queueExtension({ sweeperTimer: false })] });
const { db } = server.database;

const SLOTS = 'query($id: UUID!) { job(id: $id) { status slots { tier limit busy } } }';

describe('a queued job’s tier slots', () => {
  it('say the FREE tier’s one slot is busy while the organization’s other job runs', async () => {
    const spec = await createSpec(db, 'slots-default', true);
    const tenant = await createTenant(db, 'FREE');
    const member = server.client(await createMember(db, tenant));
    const jobs = await insertPendingJobs(db, tenant, spec, 2, { priority: TIER_PRIORITY.FREE });
    const free = server.deps.config.tiers.FREE.concurrency;
    expect(free).toBe(1);

    expect((await member.data(SLOTS, { id: jobs[0] })).job.slots).toEqual({
      tier: 'FREE',
      limit: 1,
      busy: 0,
    });
    const runner = runnerApi((await createRunner(server, ['slots-default'])).client);
    const claimed = await runner.claim();
    const waiting = jobs.find((id) => id !== claimed?.job.id);
    // The limit holds the second job back, and its slots say so (the CLI: "queued: 1 of 1 FREE slots busy").
    expect(await runner.claim()).toBeNull();
    expect((await member.data(SLOTS, { id: waiting })).job).toEqual({
      status: 'PENDING',
      slots: { tier: 'FREE', limit: 1, busy: 1 },
    });

    const team = await createTenant(db, 'ENTERPRISE');
    const [unlimited] = await insertPendingJobs(db, team, spec, 1, { priority: TIER_PRIORITY.ENTERPRISE });
    const admin = server.client(server.adminToken);
    expect((await admin.data(SLOTS, { id: unlimited })).job.slots).toEqual({
      tier: 'ENTERPRISE',
      limit: null,
      busy: 0,
    });
  });
});
