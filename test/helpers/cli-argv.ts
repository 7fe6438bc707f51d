import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT = join(ROOT, 'dist', 'src', 'cli', 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * How a test starts `benchline` in its own process (relative to the repository root): the compiled
 * CLI when `npm run build` is newer than every source file — it starts in a fraction of tsx's time,
 * which matters on a loaded 2-core machine — and the sources through tsx otherwise, so a test never
 * runs stale code.
 */
export const CLI_ARGV: readonly string[] =
  existsSync(BUILT) && statSync(BUILT).mtimeMs >= newestSource(join(ROOT, 'src'))
    ? ['bin/benchline.js']
    : ['--import', 'tsx', 'src/cli/main.ts'];
