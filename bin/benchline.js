#!/usr/bin/env node
// The installed entry point runs the compiled CLI; `npm run build` makes it.
import { existsSync } from 'node:fs';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error(
    'benchline is not built yet: run `npm run build` in the repository (or use `npm run benchline -- …`).',
  );
  process.exit(1);
}
await import(main.href);
