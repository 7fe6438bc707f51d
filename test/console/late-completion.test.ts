import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleExtension } from '../../src/server/console/extension.js';
import { completeJob } from '../../src/server/queue/complete-job.js';
import { publishAll } from '../../src/server/queue/events.js';
import { expireJob } from '../../src/server/queue/expire-job.js';
import { startTestServer } from '../helpers/server.js';
import { consoleDist, ensureConsoleBuilt, launchBrowser, screenshot } from './browser.js';
import { appendLogs, markRunning, seedJob, seedProject } from './seed.js';

// The default late-completion grace (300 s) is far longer than the test.
const server = await startTestServer({ extensions: [consoleExtension({ dir: consoleDist })] });
let browser: Browser;

beforeAll(async () => {
  await ensureConsoleBuilt();
  browser = await launchBrowser();
}, 90_000);
afterAll(() => browser?.close());

describe('console job page, a job failed for a missed heartbeat (issue #20 §4)', () => {
  it('follows the job past FAILED to PROCESSED when the runner’s late completion arrives, with every chunk', async () => {
    const project = await seedProject(server, 'late-completion', 'PUBLIC');
    const { jobId } = await seedJob(server, project);
    await markRunning(server, project, jobId);
    await appendLogs(server, jobId, [{ seq: 0, stream: 'STDOUT', data: 'tick 0\n' }]);

    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.addInitScript((t) => localStorage.setItem('benchline.token', t), server.adminToken);
    const page = await context.newPage();
    await page.goto(`${server.url}/projects/late-completion/jobs/${jobId}`);
    await page.locator('[data-testid=log] [data-seq="0"]').waitFor();

    // What the sweeper does when the runner's server died and its heartbeats stopped arriving.
    const silentSince = new Date(Date.now() + (server.deps.config.heartbeatTimeoutSeconds + 1) * 1000);
    const expired = await expireJob(server.deps.db, server.deps.config, {
      jobId,
      expiry: 'HEARTBEAT_TIMEOUT',
      now: silentSince,
    });
    expect(expired.length).toBeGreaterThan(0);
    await publishAll(server.deps.events, expired);
    await page.locator('[data-testid=job-state] [data-testid=job-status]', { hasText: 'FAILED' }).waitFor();
    await page.getByTestId('late-completion').waitFor();
    expect(await page.getByTestId('failure').textContent()).toContain('HEARTBEAT_TIMEOUT');
    await screenshot(page, 'job-heartbeat-failed');

    // The runner was alive behind the dead server: its retried chunks and completion land now.
    await appendLogs(server, jobId, [
      { seq: 1, stream: 'STDOUT', data: 'tick 1\n' },
      { seq: 2, stream: 'STDERR', data: 'tick 2\n' },
    ]);
    await page.locator('[data-testid=log] [data-seq="2"]').waitFor();
    const runner = await server.deps.db
      .selectFrom('job')
      .select('runner_id')
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    await completeJob(
      server.deps.db,
      server.deps.config,
      {
        jobId,
        runnerId: runner.runner_id!,
        exitCode: 0,
        outputs: [{ iteration: 0, exitCode: 0, files: {}, stdout: '{"sort": {"latency": {"value": 12.5}}}' }],
        now: new Date(),
      },
      (events) => publishAll(server.deps.events, events),
    );

    await page
      .locator('[data-testid=job-state] [data-testid=job-status]', { hasText: 'PROCESSED' })
      .waitFor();
    expect(await page.getByTestId('late-completion').count()).toBe(0);
    expect(await page.getByTestId('failure').count()).toBe(0);
    const seqs = await page
      .locator('[data-testid=log] [data-seq]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
    expect(seqs).toEqual([0, 1, 2]);
    expect(await page.getByTestId('report-link').textContent()).toBe('Results');
    await screenshot(page, 'job-late-completion');
    await context.close();
  });
});
