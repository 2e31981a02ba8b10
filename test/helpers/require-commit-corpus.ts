/**
 * vitest globalSetup of vitest.corpus.config.ts: `npm run test:corpus` stops with one clear message when the commit
 * corpus is missing, instead of a pile of failures (or, worse, nothing run and a green result).
 */
import { COMMIT_CORPUS_DIR, missingCommitCorpus } from './commit-corpus.js';

export default function requireCommitCorpus(): void {
  const missing = missingCommitCorpus();
  if (missing !== null) throw new Error(missing);
  console.log(`Corpus tests: reading ${COMMIT_CORPUS_DIR}`);
}
