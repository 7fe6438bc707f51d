import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const consoleDist = join(root, 'src', 'console', 'dist');
const artifacts = join(root, 'test-artifacts', 'console');

/** Builds the console once when there is no build yet (a fresh checkout). */
export async function ensureConsoleBuilt(): Promise<void> {
  if (existsSync(join(consoleDist, 'index.html'))) return;
  await promisify(execFile)(
    join(root, 'node_modules', '.bin', 'vite'),
    ['build', '--config', 'src/console/vite.config.ts'],
    { cwd: root, timeout: 60_000 },
  );
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Kept as a test artefact, to look at what a page really showed. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}
