import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Real server, runner and PostgreSQL processes killed mid-job: slow, so kept out of `npm test`.
// Not mergeConfig: it would concatenate include/exclude, and the base excludes test/chaos.
export default defineConfig({
  resolve: { alias: base.resolve?.alias },
  test: {
    include: ['test/chaos/**/*.test.ts'],
    globalSetup: base.test?.globalSetup,
    testTimeout: 90_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // One scenario at a time: each kills processes, and the machine is shared.
    fileParallelism: false,
  },
});
