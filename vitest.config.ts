import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Probes the PostgreSQL test server once per run (see test/helpers/postgres.ts).
    globalSetup: ['test/helpers/postgres-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Worker-heavy suites share two cores; a little parallelism, not a lot.
    maxWorkers: 2,
  },
});
