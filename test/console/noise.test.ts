import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleExtension } from '../../src/server/console/extension.js';
import { validateJobNoise } from '../../src/server/noise/job-noise.js';
import { storePreflight, validatePreflight } from '../../src/server/noise/runner-preflight.js';
import { startJob } from '../../src/server/queue/start-job.js';
import { startTestServer } from '../helpers/server.js';
import { consoleDist, ensureConsoleBuilt, launchBrowser, screenshot } from './browser.js';
import { type SeededProject, seedJob, seedProject } from './seed.js';

const server = await startTestServer({ extensions: [consoleExtension({ dir: consoleDist })] });

let browser: Browser;
let project: SeededProject;
let runnerSlug: string;
const jobs: string[] = [];

/** Claimed by the runner, then started through the real startJob with a noise probe. */
async function probedJob(
  runnerId: string,
  cvPct: number,
  at: Date,
  tuning: string[],
  truncated = false,
): Promise<string> {
  const { jobId } = await seedJob(server, project);
  await server.deps.db
    .updateTable('job')
    .set({ status: 'CLAIMED', runner_id: runnerId, claimed_at: at })
    .where('id', '=', jobId)
    .execute();
  await startJob(server.deps.db, {
    jobId,
    runnerId,
    now: at,
    noise: validateJobNoise({ cvPct, stealPct: 0.4, load: 1.25, probeMs: 262, truncated, tuning }),
  });
  return jobId;
}

beforeAll(async () => {
  await ensureConsoleBuilt();
  browser = await launchBrowser();
  project = await seedProject(server, 'noise-demo', 'PUBLIC');
  runnerSlug = 'quiet-rack-1';
  const runner = await server.deps.db
    .insertInto('runner')
    .values({ name: 'Quiet rack 1', slug: runnerSlug, key_hash: 'hash-noise-console' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const start = Date.now() - 3 * 3600_000;
  for (const [i, cv] of [1.2, 0.9, 7.5, 1.1].entries()) {
    jobs.push(
      await probedJob(
        runner.id,
        cv,
        new Date(start + i * 600_000),
        i === 3 ? ['ksm', 'timer-migration'] : [],
        cv === 7.5,
      ),
    );
  }
  // Its start-up report, as the runner sends it (reportPreflight).
  await storePreflight(
    server.deps.db,
    runner.id,
    validatePreflight({
      checks: [
        { check: 'irqbalance', level: 'ok', message: 'irqbalance is not running' },
        { check: 'virtualized', level: 'warn', message: 'virtualized host (kvm): the hypervisor can steal' },
      ],
      tuning: [
        { knob: 'ksm', status: 'applied', detail: 'kernel/mm/ksm/run = 0' },
        { knob: 'cpuset', status: 'skipped', detail: 'no cgroup v2 (unified hierarchy) mounted' },
        { knob: 'irq-affinity', status: 'not-permitted', detail: '/proc/irq/0/smp_affinity_list: EPERM' },
      ],
    }),
    new Date(),
  );
}, 90_000);

afterAll(() => browser?.close());

async function open(path: string, token?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  if (token) await context.addInitScript((t) => localStorage.setItem('benchline.token', t), token);
  const page = await context.newPage();
  await page.goto(server.url + path);
  return page;
}

describe('noise in the console', () => {
  it("shows each job's probe, and a runner page with its noise over time", async () => {
    const page = await open(`/projects/noise-demo/jobs/${jobs[2]}`, server.adminToken);
    await page.getByTestId('job-noise').waitFor();
    expect(await page.getByTestId('job-noise').innerText()).toBe(
      'probe CV 7.50% (noisy) · steal 0.4% · load 1.25 · 262 ms probe (cut short by its cap: a loaded host) · untuned',
    );
    await screenshot(page, 'job-noise');
    await page.getByTestId('job-runner').getByRole('link', { name: 'Quiet rack 1' }).click();
    await page.getByTestId('runner-page').waitFor();
    expect(page.url()).toBe(`${server.url}/runners/${runnerSlug}`);
    expect(await page.getByTestId('runner-noise').innerText()).toBe(
      'probe CV 1.10% · steal 0.4% · load 1.25 · tuned: ksm, timer-migration',
    );
    // Newest first, one row per probed job; the plot draws them.
    const rows = await page.getByTestId('noise-history').locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t')[2])).toEqual(['1.10', '7.50', '0.90', '1.20']);
    expect(rows.map((r) => r.split('\t')[6])).toEqual(['full', 'cut short (cap)', 'full', 'full']);
    // What the runner found and tuned at its start.
    const checks = await page.getByTestId('preflight').locator('tbody tr').allInnerTexts();
    expect(checks).toEqual([
      'irqbalance\tok\tirqbalance is not running',
      'virtualized\twarn\tvirtualized host (kvm): the hypervisor can steal',
    ]);
    const knobs = await page.getByTestId('tuning').locator('tbody tr').allInnerTexts();
    expect(knobs.map((k) => k.split('\t').slice(0, 2).join(' '))).toEqual([
      'ksm applied',
      'cpuset skipped',
      'irq-affinity not-permitted',
    ]);
    expect(await page.getByTestId('noise-plot').locator('canvas').count()).toBe(1);
    await screenshot(page, 'runner-noise');
    await page.context().close();
  });

  it('keeps the runner page to admins', async () => {
    const page = await open(`/runners/${runnerSlug}`);
    await page.getByTestId('error').waitFor();
    expect(await page.getByTestId('runner-page').count()).toBe(0);
    await page.context().close();
  });
});
