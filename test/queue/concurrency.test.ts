import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Tier } from '../../src/server/config.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { TIER_PRIORITY } from '../../src/server/queue/tier.js';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer } from '../helpers/server.js';
import { createRunner, createSpec, createTenant, insertPendingJobs, runnerApi } from './fixtures.js';

const database = await createTestDatabase();
// Commit durability plays no part in what this test checks (locks and visibility are the same);
// without the flush per commit it runs several times faster on a busy machine.
await sql`ALTER DATABASE ${sql.id(database.name)} SET synchronous_commit = off`.execute(database.db);
const first = await startTestServer({ database, extensions: [queueExtension({ sweeperTimer: false })] });
const second = await startTestServer({
  database: first.database,
  extensions: [queueExtension({ sweeperTimer: false })],
});
const { db } = first.database;
const limits = first.deps.config.tiers;

// 2,000 jobs: [tier, organizations, jobs each, source IPs (unclaimed only)]
const MIX: Array<[Tier, number, number]> = [
  ['UNCLAIMED', 10, 20],
  ['FREE', 20, 20],
  ['TEAM', 5, 120],
  ['ENTERPRISE', 4, 200],
];

interface Interval {
  key: string;
  limit: number | null;
  claimedAt: number;
  endedAt: number;
}

describe('claims under concurrency', () => {
  it('16 runners on 2 servers claim 2,000 jobs of mixed tiers exactly once, never over a tier limit', async () => {
    const specId = await createSpec(db, 'cc-default', true);
    const keyOf = new Map<string, { key: string; limit: number | null }>();
    let total = 0;
    for (const [tier, orgs, jobs] of MIX) {
      for (let o = 0; o < orgs; o++) {
        const tenant = await createTenant(db, tier);
        const sourceIp = `10.0.0.${o % 2}`; // unclaimed organizations share two IPs
        const ids = await insertPendingJobs(db, tenant, specId, jobs, {
          priority: TIER_PRIORITY[tier],
          sourceIp,
        });
        const key = tier === 'UNCLAIMED' ? `ip:${sourceIp}` : `org:${tenant.orgId}`;
        for (const id of ids) keyOf.set(id, { key, limit: limits[tier].concurrency });
        total += ids.length;
      }
    }
    expect(total).toBe(2000);

    // A sampler on its own connection: each statement sees one consistent snapshot, so any
    // count it reads above a limit really happened.
    let sampling = true;
    const violations: string[] = [];
    const sampler = (async () => {
      while (sampling) {
        const rows = await sql<{ key: string; priority: number; n: number }>`
          SELECT CASE WHEN priority = 0 THEN 'ip:' || source_ip ELSE 'org:' || organization_id END AS key,
                 max(priority) AS priority, count(*)::int AS n
          FROM job WHERE status IN ('CLAIMED', 'RUNNING') GROUP BY 1`.execute(db);
        for (const row of rows.rows) {
          const tier =
            row.priority === 0
              ? 'UNCLAIMED'
              : row.priority === 100
                ? 'FREE'
                : row.priority === 200
                  ? 'TEAM'
                  : 'ENTERPRISE';
          const limit = limits[tier].concurrency;
          if (limit !== null && row.n > limit) violations.push(`${row.key}: ${row.n} > ${limit}`);
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    })();

    const claims = new Map<string, number>();
    const intervals: Interval[] = [];
    let finished = 0;
    let nulls = 0;
    const runners = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const runner = await createRunner(first, ['cc-default']);
        const server = i % 2 === 0 ? first : second;
        return runnerApi(server.client(runner.key));
      }),
    );
    const progress = setInterval(async () => {
      if (!process.env.QUEUE_DEBUG) return;
      const rows = await db
        .selectFrom('job')
        .select('status')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .groupBy('status')
        .execute();
      console.log(finished, nulls, JSON.stringify(rows));
    }, 2000);
    await Promise.all(
      runners.map(async (api) => {
        while (finished < total) {
          const claim = await api.claim(null, 1);
          if (!claim) {
            nulls++;
            continue;
          }
          const claimedAt = performance.now();
          const id = claim.job.id as string;
          claims.set(id, (claims.get(id) ?? 0) + 1);
          if (Math.random() < 0.5) await new Promise((r) => setTimeout(r, Math.random() * 3));
          const endedAt = performance.now();
          const result = await api.fail(id, 'RUNNER_ERROR', 'done');
          expect(result.errors).toBeUndefined();
          intervals.push({ ...keyOf.get(id)!, claimedAt, endedAt });
          finished++;
        }
      }),
    );
    clearInterval(progress);
    sampling = false;
    await sampler;

    expect(claims.size).toBe(total);
    expect([...claims.values()].every((n) => n === 1)).toBe(true);
    const counts = await db
      .selectFrom('job')
      .select(['status'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy('status')
      .execute();
    expect(counts.map((c) => [c.status, Number(c.n)])).toEqual([['FAILED', total]]);

    // Replay: between the claim's answer and the failure's request each job was surely in
    // flight; at no moment may more of a key's jobs be so than its limit allows.
    const byKey = new Map<string, Interval[]>();
    for (const interval of intervals) byKey.set(interval.key, [...(byKey.get(interval.key) ?? []), interval]);
    const replayViolations: string[] = [];
    for (const [key, list] of byKey) {
      const limit = list[0]!.limit;
      if (limit === null) continue;
      const points = list.flatMap((i) => [
        [i.claimedAt, 1],
        [i.endedAt, -1],
      ]);
      points.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
      let open = 0;
      for (const [, delta] of points) {
        open += delta!;
        if (open > limit) replayViolations.push(`${key}: ${open} > ${limit}`);
      }
    }
    expect(replayViolations).toEqual([]);
    expect(violations).toEqual([]);
  }, 170_000);
});
