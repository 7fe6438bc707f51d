import type { ServerResponse } from 'node:http';
import pg from 'pg';

/** A health probe that answers slower than this reports the database unavailable. */
const PROBE_TIMEOUT_MS = 5_000;

export const HEALTH_APPLICATION_NAME = 'benchline-healthz';

export interface HealthCheck {
  answer(res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

/**
 * /healthz on a connection of its own: through the request pool it queued behind every statement
 * of the requests in flight (four clients reading a 10,000 × 16 report page by page held it for
 * over a second), so it measured the readers rather than this process and its database.
 * Probes that arrive while one is in flight share its answer: a flood of health checks costs one
 * statement at a time.
 */
export function createHealthCheck(databaseUrl: string): HealthCheck {
  let client: pg.Client | null = null;
  let inFlight: Promise<void> | null = null;
  let closed = false;

  async function connected(): Promise<pg.Client> {
    if (client) return client;
    const fresh = new pg.Client({
      connectionString: databaseUrl,
      // Named, so an operator tells it from the request pool in pg_stat_activity.
      application_name: HEALTH_APPLICATION_NAME,
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
      query_timeout: PROBE_TIMEOUT_MS,
    });
    // A dropped connection is found by the next probe, which connects again.
    fresh.on('error', () => {
      if (client === fresh) client = null;
    });
    await fresh.connect();
    client = fresh;
    return fresh;
  }

  async function probe(): Promise<void> {
    try {
      await (await connected()).query('SELECT 1');
    } catch (error) {
      const broken = client;
      client = null;
      broken?.end().catch(() => {});
      throw error;
    } finally {
      inFlight = null;
    }
  }

  return {
    async answer(res) {
      try {
        if (closed) throw new Error('the server is stopping');
        inFlight ??= probe();
        await inFlight;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","database":"ok"}\n');
      } catch (error) {
        res
          .writeHead(503, { 'content-type': 'application/json' })
          .end(`${JSON.stringify({ status: 'unavailable', database: String((error as Error).message) })}\n`);
      }
    },
    async close() {
      closed = true;
      await inFlight?.catch(() => {});
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
