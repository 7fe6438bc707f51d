import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../../test/helpers/server.js';
import { createSpec, createTenant, insertPendingJobs } from '../../../test/queue/fixtures.js';
import { metricsExtension } from './extension.js';

const server = await startTestServer({ extensions: [metricsExtension()] });

function value(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.split(' ').at(-1)) : Number.NaN;
}

describe('/metrics', () => {
  it('reports queue depth per tier from the database, in Prometheus text format', async () => {
    const db = server.database.db;
    const specId = await createSpec(db, 'metrics-spec');
    await insertPendingJobs(db, await createTenant(db, 'FREE'), specId, 2, { priority: 100 });
    await insertPendingJobs(db, await createTenant(db, 'TEAM'), specId, 1, { priority: 200 });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(value(text, 'benchline_queue_depth{tier="FREE"}')).toBe(2);
    expect(value(text, 'benchline_queue_depth{tier="TEAM"}')).toBe(1);
    expect(value(text, 'benchline_queue_depth{tier="ENTERPRISE"}')).toBe(0);
    expect(value(text, 'benchline_jobs_in_flight{tier="FREE"}')).toBe(0);
    expect(value(text, 'benchline_open_subscriptions')).toBe(0);
    expect(text).toContain('# HELP benchline_log_bytes');
  });
});
