import { Command } from 'commander';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { consoleExtension } from '../../src/server/console/extension.js';
import { startTestServer } from '../helpers/server.js';
import { axeViolations } from './axe.js';
import { consoleDist, ensureConsoleBuilt, launchBrowser, screenshot } from './browser.js';
import {
  appendLogs,
  cancelPending,
  confirmAlert,
  markFailed,
  markRunning,
  type SeededProject,
  seedHistory,
  seedJob,
  seedProject,
  seedRunnerNoise,
} from './seed.js';

// The console as a person meets it: at desktop and phone widths, through axe-core, and with the
// keyboard alone.

const server = await startTestServer({ extensions: [consoleExtension({ dir: consoleDist })] });

let browser: Browser;
let demo: SeededProject;
let latency: { reports: string[]; alerts: string[] };
let throughput: { reports: string[]; alerts: string[] };
let running: string;
let failed: { jobId: string; reportId: string };
let canceled: { jobId: string; reportId: string };
let pending: string;
let runner: string;

const widths = {
  desktop: { viewport: { width: 1400, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} satisfies Record<string, BrowserContextOptions>;

const band = (value: number, baseline: number) => ({
  value,
  baseline,
  lower: baseline * 0.9,
  upper: baseline * 1.1,
});

beforeAll(async () => {
  await ensureConsoleBuilt();
  browser = await launchBrowser();
  demo = await seedProject(server, 'a11y-demo', 'PUBLIC');
  await seedProject(server, 'a11y-secret', 'PRIVATE');
  latency = await seedHistory(
    server,
    demo,
    [100, 102, 98, 101, 99, 130].map((sort, i) => ({
      sort: band(sort, 100),
      search: band(i === 5 ? 58 : 50 + (i % 2), 50),
    })),
  );
  const { createMeasure } = await server
    .client(server.adminToken)
    .data(`mutation($input: CreateResourceInput!) { createMeasure(input: $input) { id } }`, {
      input: {
        project: demo.slug,
        name: 'Throughput',
        slug: 'throughput',
        units: 'operations per second (ops/s)',
      },
    });
  // Values with and without decimals: the table must still print them all with the same number.
  throughput = await seedHistory(
    server,
    demo,
    [1200, 1234.5, 1190.25, 1500].map((sort) => ({ sort: band(sort, 1200) })),
    { measureId: createMeasure.id },
  );
  running = (await seedJob(server, demo)).jobId;
  await markRunning(server, demo, running);
  await appendLogs(server, running, [
    { seq: 0, stream: 'STDOUT', data: 'bench sort ... 130 ns/iter\n' },
    { seq: 1, stream: 'STDERR', data: 'warning: CPU frequency scaling is on\n' },
  ]);
  failed = await seedJob(server, demo);
  await markFailed(server, demo, failed.jobId);
  canceled = await seedJob(server, demo);
  await cancelPending(server, canceled.jobId);
  pending = (await seedJob(server, demo)).jobId;
  // The sort alert has been confirmed: its verdict, change and both arms' dots show.
  await confirmAlert(server, latency.alerts[0], {
    head: [129.5, 130.25, 131, 128.75, 130.5],
    base: [100.25, 99.5, 101, 100, 100.75],
  });
  runner = await seedRunnerNoise(server, demo, 'A11y rack 1', [1.2, 0.9, 7.5, 1.1]);
}, 120_000);

afterAll(() => browser?.close());

async function open(
  path: string,
  options: { token?: string; width?: keyof typeof widths } = {},
): Promise<Page> {
  const context = await browser.newContext(widths[options.width ?? 'desktop']);
  if (options.token)
    await context.addInitScript((t) => localStorage.setItem('benchline.token', t), options.token);
  const page = await context.newPage();
  await page.goto(server.url + path);
  return page;
}

/** What the keyboard is on: its test id, else its tag and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    return el.dataset.testid ?? `${el.tagName.toLowerCase()}:${el.textContent?.trim().slice(0, 40)}`;
  });

/** Presses Tab until the focused element matches, as a keyboard user would; fails after 60. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector} (ended on ${await focused(page)})`);
}

const announced = (page: Page) => page.getByTestId('announcer').textContent();

const PAGE_NAMES = [
  'projects',
  'login',
  'project',
  'job-running',
  'job-failed',
  'projects-signed-in',
  'project-read-only',
  'job-pending',
  'job-canceled',
  'report-canceled',
  'report',
  'report-empty',
  'perf',
  'perf-unchosen',
  'runner',
  'runner-signed-out',
  'project-private',
  'not-found',
] as const;

interface PageCase {
  path: string;
  /** What is on the page once it has loaded. */
  ready: string;
  title: string;
  token?: string;
}

/** Every page and state a person can reach, each to be opened at both widths. */
const pages = (): Record<(typeof PAGE_NAMES)[number], PageCase> => ({
  projects: {
    path: '/',
    ready: '[data-testid=project-card] >> nth=0',
    title: 'Projects · Benchline',
  },
  login: { path: '/login', ready: '[data-testid=token-input]', title: 'Sign in · Benchline' },
  project: {
    path: `/projects/${demo.slug}`,
    ready: '[data-testid=job-row] >> nth=1',
    title: 'Project a11y-demo · Benchline',
    token: server.adminToken,
  },
  'job-running': {
    path: `/projects/${demo.slug}/jobs/${running}`,
    ready: '[data-testid=log] [data-seq="1"]',
    title: `Job ${running.slice(0, 8)} · Project a11y-demo · Benchline`,
    token: server.adminToken,
  },
  'job-failed': {
    path: `/projects/${demo.slug}/jobs/${failed.jobId}`,
    ready: '[data-testid=failure]',
    title: `Job ${failed.jobId.slice(0, 8)} · Project a11y-demo · Benchline`,
  },
  'projects-signed-in': {
    path: '/',
    ready: '[data-testid=project-card][data-slug=a11y-secret]',
    title: 'Projects · Benchline',
    token: server.adminToken,
  },
  'project-read-only': {
    path: `/projects/${demo.slug}`,
    ready: '[data-testid=job-row] >> nth=1',
    title: 'Project a11y-demo · Benchline',
  },
  'job-pending': {
    path: `/projects/${demo.slug}/jobs/${pending}`,
    ready: '[data-testid=cancel-job]',
    title: `Job ${pending.slice(0, 8)} · Project a11y-demo · Benchline`,
    token: server.adminToken,
  },
  'job-canceled': {
    path: `/projects/${demo.slug}/jobs/${canceled.jobId}`,
    ready: '[data-testid=report-link]',
    title: `Job ${canceled.jobId.slice(0, 8)} · Project a11y-demo · Benchline`,
  },
  'report-canceled': {
    path: `/projects/${demo.slug}/reports/${canceled.reportId}`,
    ready: '[data-testid=no-results]',
    title: `Report ${canceled.reportId.slice(0, 8)} · Project a11y-demo · Benchline`,
  },
  report: {
    path: `/projects/${demo.slug}/reports/${latency.reports.at(-1)}`,
    ready: '[data-testid=strip-plot]',
    title: `Report ${latency.reports.at(-1)!.slice(0, 8)} · Project a11y-demo · Benchline`,
    token: server.adminToken,
  },
  'report-empty': {
    path: `/projects/${demo.slug}/reports/${failed.reportId}`,
    ready: '[data-testid=no-results]',
    title: `Report ${failed.reportId.slice(0, 8)} · Project a11y-demo · Benchline`,
  },
  perf: {
    path: `/projects/${demo.slug}/perf?benchmarks=sort&measures=latency,throughput&branches=main&testbeds=ci-linux`,
    ready: '[data-testid=plot-panel] >> nth=1',
    title: 'Performance · Project a11y-demo · Benchline',
  },
  'perf-unchosen': {
    path: `/projects/${demo.slug}/perf`,
    ready: '[data-testid=select-benchmarks]',
    title: 'Performance · Project a11y-demo · Benchline',
  },
  runner: {
    path: `/runners/${runner}`,
    ready: '[data-testid=noise-plot] canvas',
    title: 'Runner A11y rack 1 · Benchline',
    token: server.adminToken,
  },
  'runner-signed-out': {
    path: `/runners/${runner}`,
    ready: '[data-testid=page-error]',
    title: 'Runner not shown · Benchline',
  },
  'project-private': {
    path: '/projects/a11y-secret',
    ready: '[data-testid=page-error]',
    title: 'Project not shown · Benchline',
  },
  'not-found': { path: '/nowhere', ready: '[data-testid=not-found]', title: 'Not found · Benchline' },
});

describe('every page, at desktop and phone widths', () => {
  it('has a check that finds what it looks for', async () => {
    // The control: the page made worse in the ways the issue found must fail the same check.
    const page = await open('/login');
    await page.getByTestId('token-input').waitFor();
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.innerHTML = 'Faded <a href="/x" style="text-decoration:none;color:#6b7280">link</a>';
      p.style.cssText = 'color:#9ca3af;background:#fff';
      document.querySelector('main')!.prepend(p);
      document.querySelector('h1')!.remove();
    });
    const rules = (await axeViolations(page)).map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['color-contrast', 'page-has-heading-one']));
    await page.context().close();
  });

  for (const width of ['desktop', 'phone'] as const)
    for (const name of PAGE_NAMES)
      it(`${name} is axe-clean, titled for itself and never wider than the screen (${width})`, async () => {
        const p = pages()[name];
        const page = await open(p.path, { token: p.token, width });
        await page.locator(p.ready).waitFor();
        await screenshot(page, `${name}-${width}`);
        // Every fault on the page is gathered before failing, so one run lists them all.
        const faults: Record<string, unknown> = {};
        const violations = await axeViolations(page);
        if (violations.length) faults.axe = violations;
        const title = await page.title();
        if (title !== p.title) faults.title = title;
        // Nothing pushes the page sideways: wide tables scroll in their own box.
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        if (overflow > 0) faults.scrollsSideways = overflow;
        await page.context().close();
        expect(faults).toEqual({});
      }, 120_000);
});

describe('on a phone', () => {
  it('shows the alerts above the jobs, with Dismiss on screen and big enough to tap', async () => {
    const page = await open(`/projects/${demo.slug}`, { token: server.adminToken, width: 'phone' });
    await page.getByTestId('dismiss-alert').first().waitFor();
    await page.getByTestId('jobs').waitFor();
    const alerts = (await page.getByTestId('alerts').boundingBox())!;
    const jobs = (await page.getByTestId('jobs').boundingBox())!;
    expect(alerts.y).toBeLessThan(jobs.y);
    for (const button of await page.getByTestId('dismiss-alert').all()) {
      const box = (await button.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(box.height).toBeGreaterThanOrEqual(24);
      expect(box.width).toBeGreaterThanOrEqual(24);
    }
    // A job that changes while the page is open is said aloud, not only redrawn.
    const { jobId } = await seedJob(server, demo);
    await page.locator(`[data-testid=job-row][data-job-id="${jobId}"]`).waitFor();
    await page.waitForFunction(
      (id) =>
        document.querySelector('[data-testid=announcer]')?.textContent?.startsWith(`Job ${id}: pending`),
      jobId.slice(0, 8),
    );
    // The jobs table is wider than the phone: it scrolls inside its box, which the page does not.
    const scroll = page.locator('.table-scroll', { has: page.getByTestId('jobs') });
    const { inner, outer } = await scroll.evaluate((el) => ({
      inner: el.scrollWidth,
      outer: el.clientWidth,
    }));
    expect(inner).toBeGreaterThan(outer);
    await page.context().close();
  });

  it('keeps every column of the report table reachable', async () => {
    const page = await open(`/projects/${demo.slug}/reports/${latency.reports.at(-1)}`, { width: 'phone' });
    const scroll = page.locator('.table-scroll', { has: page.getByTestId('results') });
    await scroll.waitFor();
    await scroll.evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    const alertCell = page.getByTestId('result-row').first().getByTestId('alert-mark');
    const cell = (await alertCell.boundingBox())!;
    const box = (await scroll.boundingBox())!;
    expect(cell.x + cell.width).toBeLessThanOrEqual(box.x + box.width + 1);
    expect(cell.x).toBeGreaterThanOrEqual(box.x);
    await page.context().close();
  });
});

describe('what a user sees', () => {
  it('plots each unit on its own panel, one legend entry per series, values on hover', async () => {
    const page = await open(
      `/projects/${demo.slug}/perf?benchmarks=sort,search&measures=latency,throughput&branches=main&testbeds=ci-linux`,
    );
    await page.locator('[data-testid=plot-panel] >> nth=1').waitFor();
    const units = await page
      .getByTestId('plot-panel')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-units')));
    expect(units.sort()).toEqual(['nanoseconds (ns)', 'operations per second (ops/s)']);
    // sort and search on Latency, sort on Throughput (search has none): three series, three entries.
    expect((await page.getByTestId('legend-series').allInnerTexts()).sort()).toEqual([
      'search · Latency',
      'sort · Latency',
      'sort · Throughput',
    ]);
    // The table is there without opening anything, and the plot points to it.
    expect(await page.getByTestId('perf-points').isVisible()).toBe(true);
    expect(await page.locator('.plot-panel figcaption a').first().getAttribute('href')).toBe('#perf-points');
    expect(await page.locator('[role=img][aria-label*="data table"]').count()).toBe(2);

    // Panels share one time axis, and a time may hold points of the other unit's series only: sweep
    // the pointer across the latency panel until it rests on one of sort's points.
    const latencyPanel = page.locator('[data-testid=plot-panel][data-units="nanoseconds (ns)"]');
    const canvas = latencyPanel.getByTestId('plot-canvas');
    const box = (await canvas.boundingBox())!;
    let readout = '';
    const shown = latencyPanel.getByTestId('plot-readout');
    // Every 4 px: a latency time is the nearest only over part of each day's gap (the throughput
    // series' points sit seconds after the latency ones), and 40 coarse steps could miss them all.
    const steps = Math.ceil((box.width - 100) / 4);
    for (let step = 0; step < steps && !/sort · Latency: \d/.test(readout); step++) {
      await page.mouse.move(box.x + box.width - 20 - step * 4, box.y + box.height / 2);
      await page.waitForTimeout(20);
      readout = (await shown.count()) ? await shown.innerText() : '';
    }
    expect(readout).toMatch(/sort · Latency: \d/);
    await page.context().close();
  });

  it("tells the runner's noise plot and a confirmation's dots in words, not by colour alone", async () => {
    const page = await open(`/runners/${runner}`, { token: server.adminToken });
    await page.locator('[data-testid=noise-plot] canvas').waitFor();
    const plot = page.locator('[role=img][data-testid=noise-plot]');
    expect(await plot.getAttribute('aria-label')).toMatch(/probe CV and steal, in percent.*table below/);
    // Each line named by its style as well as its colour, and the caption leads to the numbers.
    const caption = await page.locator('.noise-plot-figure figcaption').innerText();
    expect(caption).toMatch(/probe CV %.*solid.*steal %.*dashed/);
    await page.locator('.noise-plot-figure figcaption a').click();
    expect(await focused(page)).toBe('h3:The 4 probes, newest first');
    expect(await page.getByTestId('noise-history').locator('tbody tr').count()).toBe(4);

    const report = await open(`/projects/${demo.slug}/reports/${latency.reports.at(-1)}`);
    const alert = report.locator('[data-testid=alert][data-verdict=CONFIRMED]');
    await alert.getByTestId('strip-plot').waitFor();
    expect(await alert.getByTestId('verdict').innerText()).toMatch(
      /^CONFIRMED \+29\.50% \[\+26\.10%, \+33\.20%\]/,
    );
    expect(await alert.getByTestId('strip-plot').getAttribute('aria-label')).toBe(
      'Values per round, head: 129.50, 130.25, 131.00, 128.75, 130.50; baseline: 100.25, 99.50, 101.00, 100.00, 100.75',
    );
    // Head above, baseline below: the rows tell the arms apart, and each is labelled.
    const rows = await alert
      .locator('circle')
      .evaluateAll((els) => [
        ...new Set(els.map((e) => `${e.getAttribute('data-arm')}@${e.getAttribute('cy')}`)),
      ]);
    expect(rows.sort()).toEqual(['base@26', 'head@8']);
    expect(await alert.locator('.strip-label').allTextContents()).toEqual(['head', 'base']);
    await Promise.all([page.context().close(), report.context().close()]);
  });

  it('tells stderr, timeline steps and the live list apart by more than colour', async () => {
    const page = await open(`/projects/${demo.slug}/jobs/${running}`, { token: server.adminToken });
    await page.locator('[data-testid=log] [data-seq="1"]').waitFor();
    // What is left of a log line's look once colour is taken away.
    const look = (seq: number) =>
      page.locator(`[data-testid=log] [data-seq="${seq}"]`).evaluate((el) => {
        const s = getComputedStyle(el);
        return `${s.fontStyle} ${s.borderLeftStyle} ${s.borderLeftWidth}`;
      });
    expect(await look(1)).not.toBe(await look(0));
    // Each step says its state in a mark and in words, whatever its colour.
    const steps = (p: Page) =>
      p.getByTestId('timeline-step').evaluateAll((els) =>
        els.map((el) => ({
          state: el.getAttribute('data-state'),
          mark: el.querySelector('.dot')?.textContent,
          words: el.querySelector('.sr-only')?.textContent,
        })),
      );
    const seen = new Map<string, string>();
    const failedPage = await open(`/projects/${demo.slug}/jobs/${failed.jobId}`);
    await failedPage.getByTestId('failure').waitFor();
    for (const step of [...(await steps(page)), ...(await steps(failedPage))]) {
      const said = `${step.mark}|${step.words}`;
      expect(seen.get(step.state!) ?? said, step.state!).toBe(said);
      seen.set(step.state!, said);
    }
    expect([...seen.keys()].sort()).toEqual(['current', 'done', 'failed', 'todo']);
    expect(new Set(seen.values()).size).toBe(4);
    // The pulsing dot beside the jobs list is named in words.
    const project = await open(`/projects/${demo.slug}`);
    expect((await project.locator('.live').first().textContent())?.trim()).toBe('live');
    expect(await project.locator('.live').first().getAttribute('title')).toMatch(/updates/);
    await Promise.all([page, failedPage, project].map((p) => p.context().close()));
  });

  it('prints every number of a measure with the same decimals', async () => {
    const page = await open(
      `/projects/${demo.slug}/perf?benchmarks=sort&measures=throughput&branches=main&testbeds=ci-linux`,
    );
    await page.getByTestId('perf-point').first().waitFor();
    const values = await page.getByTestId('point-value').allInnerTexts();
    expect(values.sort()).toEqual(['1,190.25', '1,200.00', '1,234.50', '1,500.00']);
    await page.context().close();
  });

  it('links a failed job to its report, which says why it is empty and links the log', async () => {
    const page = await open(`/projects/${demo.slug}/jobs/${failed.jobId}`);
    await page.getByTestId('log').getByText('The job wrote no output.').waitFor();
    await page.getByTestId('report-link').click();
    await page.getByTestId('no-results').waitFor();
    expect(await page.getByTestId('no-results').innerText()).toBe(
      "No results: its job failed (NONZERO_EXIT: the benchmark exited with status 2) before any were recorded. See the job's log.",
    );
    await page.getByTestId('no-results-log').click();
    await page.getByTestId('job-page').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/projects/${demo.slug}/jobs/${failed.jobId}`);
    // A job canceled before it ran: its page links the report, which says so.
    await page.goto(`${server.url}/projects/${demo.slug}/jobs/${canceled.jobId}`);
    await page.getByTestId('report-link').click();
    await page.getByTestId('no-results').waitFor();
    expect(await page.getByTestId('no-results').innerText()).toBe(
      "No results: its job was canceled before it finished. See the job's log.",
    );
    await page.context().close();
  });

  it('names a sign-in command the CLI has', async () => {
    const page = await open('/login');
    const commands = (await page.locator('code').allInnerTexts()).filter((c) => c.startsWith('benchline '));
    expect(commands.length).toBeGreaterThan(0);
    const program = new Command('benchline');
    for (const register of COMMANDS) register(program);
    for (const line of commands) {
      let command = program;
      for (const word of line.split(' ').slice(1)) {
        if (word.startsWith('-') || word === '…') break;
        const sub = command.commands.find((c) => c.name() === word);
        expect(sub, `${line}: no "${word}" command`).toBeDefined();
        command = sub!;
      }
    }
    await page.context().close();
  });

  it('shows a dismissed alert grey in the results table, at once and after a reload', async () => {
    const report = throughput.reports.at(-1)!;
    const page = await open(`/projects/${demo.slug}/reports/${report}`, { token: server.adminToken });
    const row = page.locator('[data-testid=result-row][data-measure=throughput]');
    await row.waitFor();
    expect(await row.getAttribute('class')).toBe('has-alert');
    expect(await row.getByTestId('alert-mark').innerText()).toBe('▲ alert');
    await page.getByTestId('dismiss-alert').click();
    await page.locator('[data-testid=result-row][data-alert-status=DISMISSED]').waitFor();
    for (const when of ['at once', 'after a reload']) {
      if (when === 'after a reload') {
        await page.reload();
        await row.waitFor();
      }
      expect(await row.getAttribute('class'), when).toBeNull();
      expect(await row.getByTestId('alert-mark').innerText(), when).toBe('▲ dismissed');
      const color = await row
        .getByTestId('alert-mark')
        .locator('span')
        .first()
        .evaluate((el) => getComputedStyle(el).color);
      expect(color, when).not.toBe('rgb(185, 28, 28)');
    }
    await page.context().close();
  });
});

describe('with the keyboard alone', () => {
  it('signs in: a wrong token is announced and the field keeps focus; the right one lands on Projects', async () => {
    const page = await open('/');
    await page.getByTestId('project-card').first().waitFor();
    await tabTo(page, '[data-testid=sign-in]');
    await page.keyboard.press('Enter');
    await page.getByTestId('token-input').waitFor();
    expect(await focused(page)).toBe('page-heading');
    expect(await page.title()).toBe('Sign in · Benchline');

    await tabTo(page, '[data-testid=token-input]');
    await page.keyboard.type('not-a-real-token');
    await page.keyboard.press('Enter');
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').getAttribute('role')).toBe('alert');
    expect(await focused(page)).toBe('token-input');
    expect(await page.getByTestId('token-input').getAttribute('aria-invalid')).toBe('true');

    await page.keyboard.press('Control+A');
    await page.keyboard.type(server.adminToken);
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-as').waitFor();
    expect(await focused(page)).toBe('page-heading');
    expect(await page.getByTestId('page-heading').innerText()).toBe('Projects');
    expect(await announced(page)).toMatch(/^Signed in as /);
    await screenshot(page, 'keyboard-signed-in');

    // On to a project with the keyboard: focus lands on its heading, not on <body>.
    await tabTo(page, `[data-slug=${demo.slug}] a`);
    await page.keyboard.press('Enter');
    await page.getByTestId('project-page').waitFor();
    expect(await focused(page)).toBe('page-heading');
    expect(await page.getByTestId('page-heading').innerText()).toBe('Project a11y-demo');
    await page.context().close();
  });

  it('dismisses an alert: focus moves to the next alert and the dismissal is announced', async () => {
    const page = await open(`/projects/${demo.slug}`, { token: server.adminToken });
    await page.getByTestId('dismiss-alert').first().waitFor();
    const ids = await page
      .getByTestId('alert')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-alert-id')!));
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const what = await page.getByTestId('alert').first().locator('strong').innerText();
    await tabTo(page, '[data-testid=dismiss-alert]');
    const focusedAlert = () => page.evaluate(() => (document.activeElement as HTMLElement).dataset.alertId);
    expect(await focusedAlert()).toBe(ids[0]);
    await page.keyboard.press('Enter');
    await page.locator(`[data-alert-id="${ids[0]}"]`).first().waitFor({ state: 'detached' });
    expect(await focusedAlert()).toBe(ids[1]);
    expect(await focused(page)).toBe('dismiss-alert');
    expect(await announced(page)).toBe(`Alert dismissed: ${what}`);
    // Each next one is dismissed from where focus already is; with none left, focus stays on the list.
    for (const id of ids.slice(1)) {
      expect(await focusedAlert()).toBe(id);
      await page.keyboard.press('Enter');
      await page.locator(`[data-alert-id="${id}"]`).first().waitFor({ state: 'detached' });
    }
    await page.getByTestId('no-alerts').waitFor();
    expect(await focused(page)).toBe('alert-list');
    const statuses = await server.deps.db
      .selectFrom('alert')
      .select('status')
      .where('id', 'in', ids)
      .execute();
    expect(statuses.map((s) => s.status)).toEqual(ids.map(() => 'DISMISSED'));
    await page.context().close();
  });

  it('cancels a job: focus moves to its new status, which is announced', async () => {
    const { jobId } = await seedJob(server, demo);
    const page = await open(`/projects/${demo.slug}/jobs/${jobId}`, { token: server.adminToken });
    await page.getByTestId('cancel-job').waitFor();
    await tabTo(page, '[data-testid=cancel-job]');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=job-status]', { hasText: 'CANCELED' }).first().waitFor();
    expect(await focused(page)).toBe('job-state');
    expect(await page.getByTestId('job-state').innerText()).toMatch(/CANCELED/);
    await page.waitForFunction(() =>
      /CANCELED|Cancel requested/.test(document.querySelector('[data-testid=announcer]')?.textContent ?? ''),
    );
    // A canceled job still links to its report.
    expect(await page.getByTestId('report-link').isVisible()).toBe(true);
    await page.context().close();
  });
});
