import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleExtension } from '../../src/server/console/extension.js';
import { consoleDist, ensureConsoleBuilt, launchBrowser, screenshot } from '../console/browser.js';
import type { GraphqlClient } from '../helpers/graphql-client.js';
import type { World } from '../runner/fixtures.js';
import {
  claim,
  complete,
  confirmationOutputs,
  reportAlerts,
  runByHand,
  start,
  submitRun,
  worldByHand,
} from './fixtures.js';

// The console's report page follows an alert's confirmation live: SUSPECTED, CONFIRMING, then
// CONFIRMED with the change, its interval and both arms' values as a strip plot, without a reload.

let world: World;
let runner: GraphqlClient;
let imageA: string;
let imageB: string;
let browser: Browser;

beforeAll(async () => {
  await ensureConsoleBuilt();
  ({ world, runner, imageA, imageB } = await worldByHand({}, [consoleExtension({ dir: consoleDist })]));
  browser = await launchBrowser();
}, 90_000);

afterAll(() => browser?.close());

describe('console: an alert’s verdict', () => {
  it('updates live from SUSPECTED to CONFIRMED and shows the change, interval and strip plot', async () => {
    const base = await submitRun(world, imageA);
    await runByHand(runner, base.jobId, 100);
    const head = await submitRun(world, imageB);
    await runByHand(runner, head.jobId, 150);
    const { confirmation } = await reportAlerts(world.admin, head.reportId);

    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const token = world.server.adminToken;
    await context.addInitScript((t) => localStorage.setItem('benchline.token', t), token);
    const page = await context.newPage();
    await page.goto(`${world.server.url}/projects/${world.project}/reports/${head.reportId}`);
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-verdict')).toBe('SUSPECTED');

    const claimed = await claim(runner, confirmation!.id);
    await start(runner, confirmation!.id);
    await page.locator('[data-testid="verdict"][data-verdict="CONFIRMING"]').waitFor({ timeout: 15_000 });

    await complete(
      runner,
      confirmation!.id,
      confirmationOutputs(claimed, (round, arm) => (arm === 'head' ? 150 + round : 100 + round)),
    );
    await page.locator('[data-testid="verdict"][data-verdict="CONFIRMED"]').waitFor({ timeout: 15_000 });
    const change = (await page.getByTestId('verdict-change').innerText()).trim();
    expect(change).toMatch(/^\+\d+\.\d\d% \[\+\d+\.\d\d%, \+\d+\.\d\d%\]/);
    const dots = await page
      .getByTestId('strip-plot')
      .locator('circle')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-arm'), Number(e.getAttribute('data-value'))]),
      );
    expect(dots).toEqual([
      ...[150, 151, 152, 153, 154].map((v) => ['head', v]),
      ...[100, 101, 102, 103, 104].map((v) => ['base', v]),
    ]);
    await screenshot(page, 'confirmed-alert');
  }, 120_000);
});
