import { sql } from 'kysely';
import type { Database } from '../db/database.js';

export interface QueueFigures {
  /** Pending jobs per tier. */
  depth: Record<string, number>;
  inFlight: Record<string, number>;
  claimsTotal: number;
  /** Seconds from creation to claim over the last 5 minutes. */
  claimLatency: { p50: number | null; p99: number | null; count: number };
  /** Seconds from start to finish over the last hour, by final status. */
  durations: Array<{ status: string; p50: number; p99: number; count: number }>;
  logBytes: number;
}

const TIER: Record<number, string> = { 0: 'UNCLAIMED', 100: 'FREE', 200: 'TEAM', 300: 'ENTERPRISE' };

/**
 * Figures read from the database at scrape time, so every server of a cluster reports the
 * cluster's queue, not only its own share of it.
 */
export async function collectQueueFigures(db: Database): Promise<QueueFigures> {
  const [states, claims, latency, durations, logBytes] = await Promise.all([
    db
      .selectFrom('job')
      .select(['priority', 'status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('status', 'in', ['PENDING', 'CLAIMED', 'RUNNING'])
      .groupBy(['priority', 'status'])
      .execute(),
    db
      .selectFrom('job')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('claimed_at', 'is not', null)
      .executeTakeFirstOrThrow(),
    sql<{ p50: number | null; p99: number | null; n: string }>`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM claimed_at - created_at)) AS p50,
             percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM claimed_at - created_at)) AS p99,
             count(*) AS n
      FROM job WHERE claimed_at > now() - interval '5 minutes'`.execute(db),
    sql<{ status: string; p50: number; p99: number; n: string }>`
      SELECT status,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)) AS p50,
             percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)) AS p99,
             count(*) AS n
      FROM job WHERE finished_at > now() - interval '1 hour' AND started_at IS NOT NULL
      GROUP BY status`.execute(db),
    sql<{ bytes: string }>`SELECT pg_total_relation_size('job_log_chunk') AS bytes`.execute(db),
  ]);
  const depth: Record<string, number> = { UNCLAIMED: 0, FREE: 0, TEAM: 0, ENTERPRISE: 0 };
  const inFlight: Record<string, number> = { ...depth };
  for (const row of states) {
    const tier = TIER[row.priority] ?? String(row.priority);
    const target = row.status === 'PENDING' ? depth : inFlight;
    target[tier] = (target[tier] ?? 0) + Number(row.n);
  }
  const l = latency.rows[0];
  return {
    depth,
    inFlight,
    claimsTotal: Number(claims.n),
    claimLatency: { p50: l?.p50 ?? null, p99: l?.p99 ?? null, count: Number(l?.n ?? 0) },
    durations: durations.rows.map((r) => ({ status: r.status, p50: r.p50, p99: r.p99, count: Number(r.n) })),
    logBytes: Number(logBytes.rows[0]?.bytes ?? 0),
  };
}
