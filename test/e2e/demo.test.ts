import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/free-port.js';

// What `npm run demo` does, end to end: real server and runner processes, the real CLI, bubblewrap.
const database = await createTestDatabase();

describe('the demo', () => {
  it('builds two images, runs them five times on a runner and confirms the regression of the second', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'benchline-demo-test-'));
    try {
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--exit'], {
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          BENCHLINE_DATA_DIR: dataDir,
          PORT: String(port),
          CI: 'true',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, output).toBe(0);
      for (let run = 1; run <= 5; run++) expect(output).toContain(`Run ${run} of 5`);
      expect(output, output).toMatch(/ALERT/);
      expect(output).toContain(`http://127.0.0.1:${port}/projects/demo`);

      const db = database.db;
      const jobs = await db.selectFrom('job').select(['status', 'kind']).orderBy('created_at').execute();
      // Five runs, then the confirmation the fifth run's alerts queued (a noise alert of an
      // earlier run would have its own, cleared: both images there are v1).
      expect(jobs.filter((j) => j.kind === 'RUN')).toEqual(
        Array(5).fill({ status: 'PROCESSED', kind: 'RUN' }),
      );
      expect(jobs.at(-1)).toEqual({ status: 'PROCESSED', kind: 'CONFIRMATION' });
      expect(output).toMatch(/active alerts? in project demo, 2 confirmed/);
      // Both benchmarks of the fifth report, the regression, alert.
      const last = await db
        .selectFrom('report')
        .select('id')
        .orderBy('start_time', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      const alerted = await db
        .selectFrom('alert')
        .innerJoin('boundary', 'boundary.id', 'alert.boundary_id')
        .innerJoin('metric', 'metric.id', 'boundary.metric_id')
        .where('metric.report_id', '=', last.id)
        .select(['metric.benchmark_id', 'alert.status', 'alert.side', 'alert.verdict'])
        .execute();
      expect(new Set(alerted.map((a) => a.benchmark_id)).size).toBe(2);
      for (const alert of alerted)
        expect(alert).toMatchObject({ status: 'ACTIVE', side: 'UPPER', verdict: 'CONFIRMED' });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});
