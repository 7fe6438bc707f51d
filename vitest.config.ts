import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One graphql module instance, whichever entry point a dependency imports. The bare name only:
    // the CLI imports graphql/language/printer.js alone (docs/cli.md).
    alias: [
      {
        find: /^graphql$/,
        replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}', 'migrations/**/*.test.ts'],
    exclude: ['test/chaos/**', 'node_modules/**', 'dist/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // In CI a failed test runs once more, and the report marks it flaky. Until 2026-12-07 a failed
    // test did not fail `npm test` at all (src/server/db/embedded.ts), so timing-dependent tests
    // went unseen; some of the sandbox and live suites' fail now and then on a loaded 2-core machine
    // (bwrap.test.ts's network reach, test/live/hand-off.test.ts's read count).
    retry: process.env.CI ? 1 : 0,
  },
});
