import { defineConfig } from 'vitest/config';

// `npm run test:corpus`: the tests against real Apache commit histories (../shared/corpus, or COMMIT_CORPUS_DIR).
// Not part of `npm test`, which covers the same patterns with synthetic fixtures.
export default defineConfig({
  test: {
    include: ['test/**/*.corpus.test.ts'],
    environment: 'node',
    // A missing corpus fails the run with one clear message.
    globalSetup: ['test/helpers/require-commit-corpus.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    env: { NO_SMEE_SETUP: 'true', LOG_LEVEL: 'silent' },
  },
});
