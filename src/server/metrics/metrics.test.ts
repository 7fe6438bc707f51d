import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../../test/helpers/server.js';
import { metricsExtension } from './extension.js';

const server = await startTestServer({ extensions: [metricsExtension()] });

function value(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.split(' ').at(-1)) : Number.NaN;
}

describe('/metrics', () => {
  it('reports queue depth per tier from the database, in Prometheus text format', async () => {
    const db = server.database.db;
    const org = await db
      .insertInto('organization')
      .values({ name: 'm', slug: 'metrics-org' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const project = await db
      .insertInto('project')
      .values({ organization_id: org.id, name: 'm', slug: 'metrics-project' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const branch = await db
      .insertInto('branch')
      .values({ project_id: project.id, name: 'main', slug: 'main' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const testbed = await db
      .insertInto('testbed')
      .values({ project_id: project.id, name: 'x', slug: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const spec = await db
      .insertInto('spec')
      .values({ name: 's', slug: 's', cpu: 1, memory: 1, disk: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const priority of [100, 100, 200]) {
      const report = await db
        .insertInto('report')
        .values({
          project_id: project.id,
          branch_id: branch.id,
          testbed_id: testbed.id,
          adapter: 'json',
          start_time: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('job')
        .values({
          report_id: report.id,
          organization_id: org.id,
          project_id: project.id,
          spec_id: spec.id,
          priority,
          config: {},
          timeout_seconds: 60,
        })
        .execute();
    }
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(value(text, 'benchline_queue_depth{tier="FREE"}')).toBe(2);
    expect(value(text, 'benchline_queue_depth{tier="TEAM"}')).toBe(1);
    expect(value(text, 'benchline_queue_depth{tier="ENTERPRISE"}')).toBe(0);
    expect(value(text, 'benchline_open_subscriptions')).toBe(0);
    expect(text).toContain('# HELP benchline_log_bytes');
  });
});
