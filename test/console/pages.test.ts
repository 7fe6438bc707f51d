import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleExtension } from '../../src/server/console/extension.js';
import { startTestServer } from '../helpers/server.js';
import { consoleDist, ensureConsoleBuilt, launchBrowser, screenshot } from './browser.js';
import { appendLogs, markRunning, type SeededProject, seedHistory, seedJob, seedProject } from './seed.js';

const server = await startTestServer({ extensions: [consoleExtension({ dir: consoleDist })] });

let browser: Browser;
let demo: SeededProject;
let _secret: SeededProject;
let history: { reports: string[]; alerts: string[] };

const m = (value: number, baseline: number) => ({
  value,
  baseline,
  lower: baseline * 0.9,
  upper: baseline * 1.1,
});

beforeAll(async () => {
  await ensureConsoleBuilt();
  browser = await launchBrowser();
  demo = await seedProject(server, 'console-demo', 'PUBLIC');
  _secret = await seedProject(server, 'secret-stuff', 'PRIVATE');
  history = await seedHistory(
    server,
    demo,
    [100, 102, 98, 101, 99, 130].map((sort, i) => ({ sort: m(sort, 100), search: m(50 + (i % 2), 50) })),
  );
}, 90_000);

afterAll(() => browser?.close());

async function open(path: string, token?: string, before?: (page: Page) => void): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  if (token) await context.addInitScript((t) => localStorage.setItem('benchline.token', t), token);
  const page = await context.newPage();
  before?.(page);
  await page.goto(server.url + path);
  return page;
}

const texts = (page: Page, testId: string) => page.getByTestId(testId).allInnerTexts();

describe('web console', () => {
  it('lists public projects to anonymous visitors and hides private ones', async () => {
    const page = await open('/');
    await page.getByTestId('project-card').first().waitFor();
    const slugs = await page
      .getByTestId('project-card')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')));
    expect(slugs).toContain('console-demo');
    expect(slugs).not.toContain('secret-stuff');
    expect(await page.getByTestId('sign-in').isVisible()).toBe(true);
    await screenshot(page, 'projects');

    // The private project's own page does not give it away either.
    await page.goto(`${server.url}/projects/secret-stuff`);
    await page.getByTestId('error').waitFor();
    expect(await page.getByTestId('project-page').count()).toBe(0);
    await page.context().close();
  });

  it('signs in with a token and then shows the private project', async () => {
    const page = await open('/login');
    await page.getByTestId('token-input').fill('not-a-real-token');
    await page.getByTestId('token-submit').click();
    await page.getByTestId('login-error').waitFor();

    await page.getByTestId('token-input').fill(server.adminToken);
    await screenshot(page, 'login');
    await page.getByTestId('token-submit').click();
    await page.getByTestId('signed-in-as').waitFor();
    await page.locator('[data-testid=project-card][data-slug=secret-stuff]').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('benchline.token'))).toBe(server.adminToken);

    await page.locator('[data-slug=secret-stuff] a').click();
    await page.getByTestId('project-page').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Project secret-stuff');
    await page.context().close();
  });

  it('shows a new job on the project page as soon as it is created, and its status changes', async () => {
    const page = await open('/projects/console-demo', server.adminToken);
    await page.getByTestId('project-page').waitFor();
    await page.getByTestId('reports').waitFor();
    const { jobId } = await seedJob(server, demo);
    const row = page.locator(`[data-testid=job-row][data-job-id="${jobId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('PENDING');
    await markRunning(server, demo, jobId);
    await page.locator(`[data-testid=job-row][data-job-id="${jobId}"][data-status=RUNNING]`).waitFor();
    expect(await page.getByTestId('report-row').count()).toBeGreaterThanOrEqual(6);
    expect(await page.getByTestId('alert').count()).toBe(1);
    await screenshot(page, 'project');
    await page.context().close();
  });

  it('streams the job log live, tells stderr apart and resumes after a dropped connection', async () => {
    const { jobId } = await seedJob(server, demo);
    await markRunning(server, demo, jobId);
    await appendLogs(server, jobId, [{ seq: 0, stream: 'STDOUT', data: 'stored before the page opened\n' }]);
    const sent: string[] = [];
    const page = await open(`/projects/console-demo/jobs/${jobId}`, server.adminToken, (p) =>
      p.on('websocket', (ws) => ws.on('framesent', ({ payload }) => sent.push(String(payload)))),
    );
    await page.getByTestId('job-page').waitFor();
    await page.locator('[data-testid=log] [data-seq="0"]').waitFor();
    expect(await page.getByTestId('job-status').first().textContent()).toBe('RUNNING');

    await appendLogs(server, jobId, [
      { seq: 1, stream: 'STDOUT', data: 'bench sort ... 130 ns/iter\n' },
      { seq: 2, stream: 'STDERR', data: 'warning: CPU frequency scaling is on\n' },
    ]);
    await page.locator('[data-testid=log] [data-seq="2"]').waitFor();
    expect(await page.locator('[data-testid=log] .stderr').allInnerTexts()).toEqual([
      'warning: CPU frequency scaling is on\n',
    ]);

    // Lines written while the connection is down arrive after it comes back, each once.
    await page.evaluate(() => window.__benchline?.dropConnection());
    await appendLogs(server, jobId, [
      { seq: 3, stream: 'STDOUT', data: 'written while disconnected\n' },
      { seq: 4, stream: 'STDERR', data: 'also while disconnected\n' },
    ]);
    await page.locator('[data-testid=log] [data-seq="4"]').waitFor({ timeout: 20_000 });
    await appendLogs(server, jobId, [{ seq: 5, stream: 'STDOUT', data: 'after the reconnect\n' }]);
    await page.locator('[data-testid=log] [data-seq="5"]').waitFor();
    const seqs = await page
      .locator('[data-testid=log] [data-seq]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
    expect(seqs).toEqual([0, 1, 2, 3, 4, 5]);
    // The resubscription asked only for what came after the last chunk it had.
    const logSubscriptions = sent
      .map((frame) => JSON.parse(frame))
      .filter((m) => m.type === 'subscribe' && m.payload.query.includes('jobLogs'));
    expect(logSubscriptions.map((m) => m.payload.variables.afterSeq)).toEqual([null, 2]);
    expect(await page.getByTestId('log').getAttribute('data-following')).toBe('true');
    expect(await texts(page, 'timeline-step')).toHaveLength(5);
    await screenshot(page, 'job');
    await page.context().close();
  });

  it('cancels a pending job from its page', async () => {
    const { jobId } = await seedJob(server, demo);
    const page = await open(`/projects/console-demo/jobs/${jobId}`, server.adminToken);
    await page.getByTestId('cancel-job').click();
    await page.getByTestId('cancel-job').waitFor({ state: 'detached' });
    await page.locator('[data-testid=job-status]', { hasText: 'CANCELED' }).first().waitFor();
    const row = await server.deps.db
      .selectFrom('job')
      .select('status')
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('CANCELED');
    await page.context().close();
  });

  it('shows a report with its results table and alerts', async () => {
    const reportId = history.reports.at(-1)!;
    const page = await open(`/projects/console-demo/reports/${reportId}`);
    await page.getByTestId('results').waitFor();
    const row = (bench: string) => page.locator(`[data-testid=result-row][data-benchmark=${bench}]`);
    const cells = async (bench: string) => ({
      value: await row(bench).getByTestId('value').textContent(),
      baseline: await row(bench).getByTestId('baseline').textContent(),
      change: await row(bench).getByTestId('change').textContent(),
      lower: await row(bench).getByTestId('lower-limit').textContent(),
      upper: await row(bench).getByTestId('upper-limit').textContent(),
      alert: await row(bench).getByTestId('alert-mark').textContent(),
    });
    expect(await cells('sort')).toEqual({
      value: '130',
      baseline: '100',
      change: '+30.00%',
      lower: '90',
      upper: '110',
      alert: '▲ alert',
    });
    expect(await cells('search')).toEqual({
      value: '51',
      baseline: '50',
      change: '+2.00%',
      lower: '45',
      upper: '55',
      alert: '✓ ok',
    });
    expect(await page.getByTestId('alert').count()).toBe(1);
    expect(await page.getByTestId('dismiss-alert').count()).toBe(0); // anonymous: read only
    await screenshot(page, 'report');
    await page.context().close();
  });

  it('shows every benchmark of a report, not only the first page of 100', async () => {
    const names = Array.from({ length: 230 }, (_, i) => `b${String(i).padStart(4, '0')}`);
    const bmf = Object.fromEntries(names.map((name, i) => [name, { latency: { value: i + 1 } }]));
    const { createRun } = await server
      .client(server.adminToken)
      .data<{ createRun: { report: { id: string } } }>(
        'mutation ($input: CreateRunInput!) { createRun(input: $input) { report { id } } }',
        { input: { project: demo.slug, branch: 'wide', adapter: 'json', results: [JSON.stringify(bmf)] } },
      );
    const page = await open(`/projects/console-demo/reports/${createRun.report.id}`);
    const rows = page.getByTestId('result-row');
    await page.locator(`[data-testid=result-row][data-benchmark=${names.at(-1)}]`).waitFor();
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-benchmark')))).toEqual(names);
    expect(await page.getByTestId('results-loading').count()).toBe(0);
    await page.context().close();
  });

  it('says when there are more active alerts than it lists, and shows them on request', async () => {
    const busy = await seedProject(server, 'many-alerts', 'PUBLIC');
    const seeded = await seedHistory(
      server,
      busy,
      Array.from({ length: 55 }, () => ({ sort: m(130, 100) })),
    );
    expect(seeded.alerts).toHaveLength(55);
    const page = await open('/projects/many-alerts');
    const more = page.getByTestId('more-alerts');
    await more.waitFor();
    expect(await page.getByTestId('alert').count()).toBe(50);
    await more.getByRole('button', { name: 'Show more alerts' }).click();
    await more.waitFor({ state: 'detached' });
    expect(await page.getByTestId('alert').count()).toBe(55);
    await page.context().close();
  });

  it('plots a benchmark over time with its boundaries and alert points', async () => {
    const page = await open(
      '/projects/console-demo/perf?benchmarks=sort&measures=latency&branches=main&testbeds=ci-linux',
    );
    const plot = page.getByTestId('perf-plot');
    await plot.locator('canvas').waitFor();
    expect(await plot.getAttribute('data-points')).toBe('6');
    expect(await plot.getAttribute('data-bounded-points')).toBe('6');
    expect(await plot.getAttribute('data-alerts')).toBe('1');
    expect(await page.locator('[data-testid=perf-point] .alert-mark').count()).toBe(1);
    // One legend entry per series; limits and alerts are marks in the plot, keyed once.
    expect(await texts(page, 'legend-series')).toEqual(['sort']);
    expect(await plot.getByTestId('plot-legend').innerText()).toMatch(/lower limit[\s\S]*upper limit/);
    await screenshot(page, 'perf');

    // Choosing a second benchmark adds its series and puts the choice in the URL.
    await page.getByTestId('select-benchmarks').getByLabel('search').check();
    await page.locator('[data-testid=perf-plot][data-series="2"]').waitFor();
    expect(new URL(page.url()).searchParams.get('benchmarks')).toBe('sort,search');
    await page.context().close();
  });

  it('dismisses an alert', async () => {
    const page = await open(`/projects/console-demo/reports/${history.reports.at(-1)}`, server.adminToken);
    await page.getByTestId('dismiss-alert').click();
    await page.locator('[data-testid=alert][data-status=DISMISSED]').waitFor();
    const alert = await server.deps.db
      .selectFrom('alert')
      .select('status')
      .where('id', '=', history.alerts[0])
      .executeTakeFirstOrThrow();
    expect(alert.status).toBe('DISMISSED');
    await page.context().close();
  });
});
