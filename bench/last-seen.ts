// Runner last-seen writes (docs/runner.md, "Last seen"): what idle runners' claim re-polls cost in
// writes of runner.last_seen_at, and how stale the time they leave is. BENCH_LAST_SEEN_RUNNERS idle
// runners (20) re-poll claimJob(waitSeconds: 0) every BENCH_LAST_SEEN_POLL_SECONDS (31: the runner's
// 30 s long-poll and its round trip) for BENCH_LAST_SEEN_MINUTES (60) of simulated time: the server's clock and the wall
// clock its key cache reads move by the poll interval between rounds, so an hour takes seconds.
// Writes are counted by a row trigger (an UPDATE that matched nothing is not one).
//
// Anchor in the same run: the calls made (the code before this change wrote on every re-poll: its
// 30 s throttle was no longer than the re-poll interval). To measure the old code itself, point
// BENCH_SRC at the src/ of a copy of it:
//   git archive <base> | tar -x -C /tmp/base && ln -s $PWD/node_modules /tmp/base/node_modules
//   BENCH_SRC=/tmp/base/src npx tsx bench/last-seen.ts
// Run with `npx tsx bench/last-seen.ts`. Deterministic: no spread to speak of.

import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { type Figure, scratchDatabase } from './_shared.js';

const SRC = process.env.BENCH_SRC ?? new URL('../src', import.meta.url).pathname;
const RUNNERS = Number(process.env.BENCH_LAST_SEEN_RUNNERS ?? 20);
const POLL_MS = Number(process.env.BENCH_LAST_SEEN_POLL_SECONDS ?? 31) * 1000;
const MINUTES = Number(process.env.BENCH_LAST_SEEN_MINUTES ?? 60);

const load = (path: string) => import(pathToFileURL(`${SRC}/${path}`).href);

export async function run(): Promise<Figure[]> {
  const { startServer } = await load('server/app.js');
  const { loadConfig } = await load('server/config.js');
  const { createLogger } = await load('server/logger.js');
  const { ManualClock } = await load('server/clock.js');
  const { queueExtension } = await load('server/queue/extension.js');
  const { createRunner } = await load('server/runners/runners.js');

  const scratch = await scratchDatabase('benchline_bench');
  const clock = new ManualClock(new Date('2033-01-01T00:00:00Z'));
  const realNow = Date.now;
  let offset = 0;
  Date.now = () => realNow() + offset;
  let adminToken = '';
  const server = await startServer({
    config: loadConfig({ PORT: '0', DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' }),
    log: createLogger('silent'),
    clock,
    extensions: [queueExtension({ sweeperTimer: false })],
    onBootstrapToken: (secret: string) => {
      adminToken = secret;
    },
  });
  try {
    const db = server.deps.db;
    await sql`CREATE TABLE last_seen_write (at timestamptz)`.execute(db);
    await sql`CREATE FUNCTION note_last_seen_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO last_seen_write VALUES (NEW.last_seen_at); RETURN NEW; END $$`.execute(db);
    await sql`CREATE TRIGGER last_seen_write AFTER UPDATE OF last_seen_at ON runner
      FOR EACH ROW EXECUTE FUNCTION note_last_seen_write()`.execute(db);
    await db
      .insertInto('spec')
      .values({ name: 'bench-idle', slug: 'bench-idle', cpu: 2, memory: 1 << 30, disk: 1 << 30 })
      .execute();
    const keys: string[] = [];
    for (let i = 0; i < RUNNERS; i++)
      keys.push((await createRunner(db, { name: `idle ${i}`, specs: ['bench-idle'] })).key);

    const graphql = async (key: string, query: string) => {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown };
      if (!res.ok || body.errors) throw new Error(`${query} answered ${res.status} ${JSON.stringify(body)}`);
      return body.data;
    };
    const claim = (key: string) => graphql(key, 'mutation { claimJob(waitSeconds: 0) { job { id } } }');
    // The first call of each runner writes in both versions: it is not in the window.
    await Promise.all(keys.map(claim));
    await sql`DELETE FROM last_seen_write`.execute(db);

    let calls = 0;
    let oldestStoredMs = 0;
    const rounds = Math.round((MINUTES * 60_000) / POLL_MS);
    for (let round = 0; round < rounds; round++) {
      clock.advance(POLL_MS);
      offset += POLL_MS;
      await Promise.all(keys.map(claim));
      calls += keys.length;
      const { rows } = await sql<{ oldest: Date }>`SELECT min(last_seen_at) AS oldest FROM runner`.execute(
        db,
      );
      oldestStoredMs = Math.max(oldestStoredMs, clock.now().getTime() - rows[0]!.oldest.getTime());
    }
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM last_seen_write`.execute(db);
    const writes = Number(rows[0]!.n);
    const perRunnerHour = (n: number) => n / RUNNERS / (MINUTES / 60);
    // What the runner list shows after the last round, on the server the runners talk to.
    const listed = await graphql(adminToken, '{ runners(first: 500) { edges { node { lastSeenAt } } } }');
    const shownAges = listed.runners.edges.map(
      (e: { node: { lastSeenAt: string } }) => clock.now().getTime() - Date.parse(e.node.lastSeenAt),
    );
    return [
      {
        name: `last_seen_at row writes per idle runner-hour, re-poll every ${POLL_MS / 1000} s (${RUNNERS} runners, ${MINUTES} min)`,
        value: perRunnerHour(writes),
        unit: 'writes',
        goal: '≤ 12 (one per 5 min)',
        anchor: perRunnerHour(calls),
        anchorName: 'calls: one write each before',
        ratio: writes / calls,
      },
      {
        name: 'oldest stored last-seen at any re-poll (present = within 390 s)',
        value: oldestStoredMs / 1000,
        unit: 's',
        goal: '≤ 390',
      },
      {
        name: 'oldest last-seen the runner list shows after the last re-poll',
        value: Math.max(...shownAges) / 1000,
        unit: 's',
        goal: '0: the server the runner talks to shows its last call',
      },
    ];
  } finally {
    await server.stop();
    Date.now = realNow;
    await scratch.drop().catch(() => {});
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run()) {
    const anchor =
      f.anchor === undefined
        ? ''
        : ` vs ${f.anchor.toFixed(1)} (${f.anchorName}); ratio ${f.ratio?.toFixed(3)}`;
    console.log(`${f.name}: ${f.value.toFixed(1)} ${f.unit}${anchor} (goal ${f.goal})`);
  }
}
