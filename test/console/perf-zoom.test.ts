import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleExtension } from '../../src/server/console/extension.js';
import { addThreshold, growHistory } from '../helpers/history.js';
import { startTestServer } from '../helpers/server.js';
import { consoleDist, ensureConsoleBuilt, launchBrowser } from './browser.js';
import { seedProject } from './seed.js';

// A long history on the perf page: the plot gets a downsampled sample, says so, and a drag across
// it fetches every point of the dragged range.
const RUNS = 3_000;
const server = await startTestServer({ extensions: [consoleExtension({ dir: consoleDist })] });
let browser: Browser;

beforeAll(async () => {
  await ensureConsoleBuilt();
  browser = await launchBrowser();
  const p = await seedProject(server, 'long-history', 'PUBLIC');
  const scope = {
    projectId: p.id,
    branchId: p.branchId,
    testbedId: p.testbedId,
    measureId: p.measureId,
    benchmarkIds: [p.benchmarkIds.sort],
  };
  await growHistory(server.deps.db, scope, await addThreshold(server.deps.db, scope), RUNS);
}, 240_000);

afterAll(() => browser?.close());

describe('perf page over a long history', () => {
  it('plots a downsampled sample of the whole history and fetches detail for a dragged range', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const requests: Array<{ resolution: number; from: string | null }> = [];
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      const body = r.postData();
      if (body?.includes('ConsolePerf')) requests.push(JSON.parse(body).variables);
    });
    await page.goto(
      `${server.url}/projects/long-history/perf?benchmarks=sort&measures=latency&branches=main&testbeds=ci-linux`,
    );
    const plot = page.getByTestId('perf-plot');
    await plot.locator('canvas').waitFor();
    // 1,280 px: 640 columns, a lowest and a highest point each, the ends and every alert.
    expect(requests[0].resolution).toBe(640);
    expect(await plot.getAttribute('data-total')).toBe(String(RUNS));
    const sampled = Number(await plot.getAttribute('data-points'));
    const alerts = Number(await plot.getAttribute('data-alerts'));
    expect(sampled).toBeLessThan(RUNS);
    expect(sampled).toBeLessThanOrEqual(2 * 640 + 2 + alerts);
    expect(await page.getByTestId('sample-note').innerText()).toContain(
      `of ${RUNS.toLocaleString('en')} points`,
    );

    // Drag across a twentieth of the plot: the page asks for that range and gets every point of it.
    const canvas = page.getByTestId('plot-canvas').locator('.u-over');
    const box = (await canvas.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.4, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.42, y, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.45, y, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('zoom-note').waitFor();
    const url = new URL(page.url());
    const from = url.searchParams.get('zoomFrom')!;
    const to = url.searchParams.get('zoomTo')!;
    expect(Date.parse(to)).toBeGreaterThan(Date.parse(from));
    await page.waitForFunction(
      () => {
        const el = document.querySelector('[data-testid=perf-plot]');
        return el && el.getAttribute('data-total') !== '3000';
      },
      undefined,
      { timeout: 20_000 },
    );
    expect(requests.at(-1)).toMatchObject({ from, to: url.searchParams.get('zoomTo'), resolution: 640 });
    const zoomedTotal = Number(await plot.getAttribute('data-total'));
    // About a twentieth of three thousand runs, each one sent: no sample note.
    expect(zoomedTotal).toBeGreaterThan(50);
    expect(zoomedTotal).toBeLessThan(400);
    expect(Number(await plot.getAttribute('data-points'))).toBe(zoomedTotal);
    expect(await page.getByTestId('sample-note').count()).toBe(0);
    const times = await page
      .getByTestId('perf-point')
      .evaluateAll((rows) => rows.map((r) => r.querySelector('td')?.textContent ?? ''));
    expect(times).toHaveLength(zoomedTotal);

    // Back to the whole range: the sample again.
    await page.getByTestId('zoom-out').click();
    await page.locator(`[data-testid=perf-plot][data-total="${RUNS}"]`).waitFor();
    expect(new URL(page.url()).searchParams.get('zoomFrom')).toBeNull();
    expect(Number(await plot.getAttribute('data-points'))).toBe(sampled);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
