#!/usr/bin/env node
// The installed entry point runs the compiled CLI; `npm run build` makes it. The bundle (dist/cli,
// scripts/bundle-cli.ts) starts several times faster than tsc's many files; it is used unless it is
// older than tsc's output (a `tsc` alone after a change), so a stale bundle never runs.
import { existsSync, statSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
const bundled = new URL('../dist/cli/benchline.js', import.meta.url);
if (!existsSync(compiled)) {
  console.error(
    'benchline is not built yet: run `npm run build` in the repository (or use `npm run benchline -- …`).',
  );
  process.exit(1);
}
const fresh = existsSync(bundled) && statSync(bundled).mtimeMs >= statSync(compiled).mtimeMs;
await import((fresh ? bundled : compiled).href);
