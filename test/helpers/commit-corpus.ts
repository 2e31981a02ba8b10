/**
 * Where the corpus tests (`npm run test:corpus`, files named *.corpus.test.ts) find the real Apache commit
 * histories: the `corpus` folder of ../shared beside the checkout, or the folder in COMMIT_CORPUS_DIR. The corpus is
 * read at test time and never copied into the repository. `npm test` does not need it: synthetic fixtures there
 * cover every pattern the corpus is known for. A missing corpus is an error with this message, never a silent pass.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const COMMIT_CORPUS_DIR = path.resolve(process.env['COMMIT_CORPUS_DIR']?.trim() || path.join(repoRoot, '../shared/corpus'));

/** Why the corpus cannot be read, or null when its folder holds JSON files. */
export function missingCommitCorpus(): string | null {
  const hint =
    'The corpus tests (npm run test:corpus) read real commit histories from ../shared/corpus beside the checkout ' +
    '(set COMMIT_CORPUS_DIR to use another folder); `npm test` does not need them.';
  if (!existsSync(COMMIT_CORPUS_DIR)) return `The commit corpus is missing: ${COMMIT_CORPUS_DIR} does not exist. ${hint}`;
  if (!readdirSync(COMMIT_CORPUS_DIR).some((name) => name.endsWith('.json'))) {
    return `The commit corpus folder ${COMMIT_CORPUS_DIR} holds no JSON files. ${hint}`;
  }
  return null;
}

/** The JSON file names of the corpus, sorted; throws the missing-corpus message. */
export function commitCorpusFiles(): string[] {
  const missing = missingCommitCorpus();
  if (missing !== null) throw new Error(missing);
  return readdirSync(COMMIT_CORPUS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** Parses one corpus file (unchecked: the caller states the shape it reads); throws the missing-corpus message. */
export function readCommitCorpusFile(file: string): unknown {
  const missing = missingCommitCorpus();
  if (missing !== null) throw new Error(missing);
  const full = path.join(COMMIT_CORPUS_DIR, file);
  if (!existsSync(full)) throw new Error(`The commit corpus in ${COMMIT_CORPUS_DIR} has no ${file}.`);
  return JSON.parse(readFileSync(full, 'utf8')) as unknown;
}
