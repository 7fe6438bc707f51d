import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleExtension } from '../../src/server/console/extension.js';
import { startTestServer } from '../helpers/server.js';
import { consoleDist, ensureConsoleBuilt, launchBrowser, screenshot } from './browser.js';
import { appendLogs, completeLate, heartbeatFail, markRunning, seedJob, seedProject } from './seed.js';

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

    await heartbeatFail(server, jobId);
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
    await completeLate(server, jobId, '{"sort": {"latency": {"value": 12.5}}}');

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
