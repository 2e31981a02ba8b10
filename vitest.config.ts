import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The tests against the real commit corpus run with `npm run test:corpus` (vitest.corpus.config.ts).
    exclude: [...configDefaults.exclude, 'test/**/*.corpus.test.ts'],
    environment: 'node',
    // Starts a throwaway PostgreSQL for the store tests (or uses TEST_DATABASE_URL); see the file.
    globalSetup: ['test/store/postgres-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share nock's global interceptors: run files one at a time within a worker.
    fileParallelism: false,
    env: { NO_SMEE_SETUP: 'true', LOG_LEVEL: 'silent' },
  },
});
