import { sql } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/server/clock.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { recordCall, SEEN_WITHIN_SECONDS } from '../../src/server/runners/last-seen.js';
import { startTestServer } from '../helpers/server.js';
import { createRunner, createSpec, runnerApi } from '../queue/fixtures.js';

// A runner's last-seen on real PostgreSQL, polled the way an idle runner polls: every re-poll of its
// claim is a call, and the row write each one used to make is what this pins.

const clock = new ManualClock(new Date('2032-01-01T00:00:00Z'));
const server = await startTestServer({ clock, extensions: [queueExtension({ sweeperTimer: false })] });
const { db } = server.database;
await createSpec(db, 'ls-default', true);

// Every row write of runner.last_seen_at, as PostgreSQL made it (an UPDATE that matched nothing is none).
await sql`CREATE TABLE last_seen_write (runner_id uuid NOT NULL, at timestamptz NOT NULL)`.execute(db);
await sql`CREATE FUNCTION note_last_seen_write() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN INSERT INTO last_seen_write VALUES (NEW.id, NEW.last_seen_at); RETURN NEW; END $$`.execute(db);
await sql`CREATE TRIGGER last_seen_write AFTER UPDATE OF last_seen_at ON runner
  FOR EACH ROW EXECUTE FUNCTION note_last_seen_write()`.execute(db);

// The server forgets a runner key's lookup after a few seconds of wall time (accounts/tokens.ts):
// wall time moves with the test's clock, so each re-poll is a first call again, as in production.
const realNow = Date.now.bind(Date);
let wallOffset = 0;
vi.spyOn(Date, 'now').mockImplementation(() => realNow() + wallOffset);
afterAll(() => vi.restoreAllMocks());
const pass = (ms: number) => {
  clock.advance(ms);
  wallOffset += ms;
};

const writesOf = async (runnerId: string) =>
  (
    await sql<{ n: string }>`SELECT count(*) AS n FROM last_seen_write WHERE runner_id = ${runnerId}`.execute(
      db,
    )
  ).rows[0]!.n;
const storedOf = async (runnerId: string) =>
  (await db.selectFrom('runner').select('last_seen_at').where('id', '=', runnerId).executeTakeFirstOrThrow())
    .last_seen_at;

describe('runner last-seen', () => {
  it('costs one write per runner per 5 minutes of re-polls, and is never too old to count as present', async () => {
    const runner = await createRunner(server, ['ls-default']);
    const api = runnerApi(runner.client);
    // An idle runner long-polling: a re-poll a minute, for 22 minutes.
    for (let minute = 0; minute <= 22; minute++) {
      expect(await api.claim()).toBeNull();
      const stored = await storedOf(runner.id);
      expect(stored).not.toBeNull();
      expect(clock.now().getTime() - stored!.getTime()).toBeLessThanOrEqual(SEEN_WITHIN_SECONDS * 1000);
      pass(60_000);
    }
    // Written at its first call and at minutes 5, 10, 15 and 20: not at each of the 23 re-polls.
    expect(Number(await writesOf(runner.id))).toBe(5);
    expect(await storedOf(runner.id)).toEqual(new Date('2032-01-01T00:20:00Z'));
  });

  it('shows the latest call on the server the runner talks to, though the row is behind', async () => {
    const runner = await createRunner(server, ['ls-default']);
    await runnerApi(runner.client).claim();
    const first = clock.now();
    pass(150_000);
    await runnerApi(runner.client).claim();
    expect(await storedOf(runner.id)).toEqual(first);
    const { runners } = await server.client(server.adminToken).data<{
      runners: { edges: Array<{ node: { id: string; lastSeenAt: string | null } }> };
    }>('{ runners(first: 100) { edges { node { id lastSeenAt } } } }');
    const shown = runners.edges.find((e) => e.node.id === runner.id)?.node.lastSeenAt;
    expect(shown).toBe(clock.now().toISOString());
  });

  it('writes once when calls on several servers find it due at the same moment', async () => {
    const runner = await createRunner(server, ['ls-default']);
    await runnerApi(runner.client).claim();
    const stale = await storedOf(runner.id);
    pass(6 * 60_000);
    const before = Number(await writesOf(runner.id));
    // Each server read the same stale row with the key it checked, and each finds last-seen due.
    await Promise.all(Array.from({ length: 6 }, () => recordCall(db, runner.id, stale, clock.now())));
    expect(Number(await writesOf(runner.id)) - before).toBe(1);
    expect(await storedOf(runner.id)).toEqual(clock.now());
  });
});
