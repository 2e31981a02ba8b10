/**
 * Key extraction against real Apache commit histories (../shared/corpus, read at test time, never copied here).
 * Runs with `npm run test:corpus`; the synthetic counterpart in `npm test` is extract-jira-keys.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createKeyMatcher, extractKeys, findKeyLikeTokens, summarizeDeployKeys, type KeyedCommit } from '../../src/core/jira-keys/extract-jira-keys.js';
import { COMMIT_CORPUS_DIR, commitCorpusFiles, readCommitCorpusFile } from '../helpers/commit-corpus.js';

interface CorpusFile {
  readonly file: string;
  readonly projectKeys: readonly string[];
  /** Newest first, as `git log` prints them. */
  readonly commits: readonly (KeyedCommit & { readonly parents: readonly string[] })[];
  readonly expectedKeys: readonly string[] | null;
  readonly gitKeys: readonly string[];
  readonly lenientKeys: readonly string[];
  readonly otherKeyLikeTokens: readonly string[];
}

function readCorpus(): CorpusFile[] {
  return commitCorpusFiles().map((file) => {
    const data = readCommitCorpusFile(file) as Record<string, unknown>;
    const variants = data.gitKeyVariants as Record<string, unknown> | undefined;
    const lenient = variants?.lenientSeparators_dash_underscore_space;
    if (!Array.isArray(data.projectKeys) || !Array.isArray(data.commits) || !Array.isArray(data.gitKeys) || !Array.isArray(lenient)) {
      throw new Error(`${file}: unexpected corpus format`);
    }
    return {
      file,
      projectKeys: data.projectKeys as string[],
      commits: data.commits as CorpusFile['commits'],
      expectedKeys: Array.isArray(data.expectedKeys) ? (data.expectedKeys as string[]) : null,
      gitKeys: data.gitKeys as string[],
      lenientKeys: lenient as string[],
      otherKeyLikeTokens: Array.isArray(data.otherKeyLikeTokens) ? (data.otherKeyLikeTokens as string[]) : [],
    };
  });
}

const corpus = readCorpus();
const sorted = (keys: Iterable<string>): string[] => [...new Set(keys)].sort();

function extractedKeys(file: CorpusFile, options: { extraDiscoveredProjects?: readonly string[] } = {}): string[] {
  const matcher = options.extraDiscoveredProjects
    ? createKeyMatcher({ projects: [...file.projectKeys, ...options.extraDiscoveredProjects], projectsDiscovered: true })
    : createKeyMatcher({ projects: file.projectKeys });
  return sorted(file.commits.flatMap((c) => extractKeys(c.message, matcher)));
}

function referencedIn(message: string, key: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9])${key}(?![0-9])`, 'i').test(message);
}

function corpusFile(name: string): CorpusFile {
  const file = corpus.find((f) => f.file === name);
  if (!file) throw new Error(`corpus file ${name} is missing from ${COMMIT_CORPUS_DIR}`);
  return file;
}

describe('commit corpus', () => {
  it('holds the six documented ranges', () => {
    expect(corpus.map((f) => f.file)).toEqual([
      'kafka__3.6.0..3.7.0.json',
      'kafka__3.7.0..3.7.1.json',
      'parquet-java__apache-parquet-1.12.3..apache-parquet-1.13.0.json',
      'parquet-java__apache-parquet-1.13.0..apache-parquet-1.13.1.json',
      'parquet-java__apache-parquet-1.13.1..apache-parquet-1.14.0.json',
      'parquet-java__apache-parquet-1.14.0..apache-parquet-1.14.1.json',
    ]);
  });
});

describe.each(corpus)('corpus $file', (file) => {
  it('extracts exactly the lenient-separator key list (dash, underscore, leading "KEY 123:")', () => {
    expect(extractedKeys(file)).toEqual(sorted(file.lenientKeys));
  });

  it('finds every key of the careful case-insensitive reference list (gitKeys)', () => {
    const extracted = new Set(extractedKeys(file));
    expect(file.gitKeys.filter((k) => !extracted.has(k))).toEqual([]);
  });

  it('reports nothing outside the file’s projectKeys, even with denylisted and foreign projects discovered', () => {
    const discovered = extractedKeys(file, {
      extraDiscoveredProjects: ['CVE', 'KIP', 'PR', 'JDK', 'GH', 'PLAINTEXT', 'SSL', 'UTF', 'SHA', 'ISO'],
    });
    const own = (k: string) => file.projectKeys.some((p) => k.startsWith(`${p}-`));
    expect(extractedKeys(file).filter((k) => !own(k))).toEqual([]);
    expect(discovered.filter((k) => !own(k))).toEqual([]);
    expect(discovered).toEqual(extractedKeys(file));
  });

  it('reports none of the other key-like tokens as keys', () => {
    const extracted = new Set(extractedKeys(file));
    expect(file.otherKeyLikeTokens.filter((t) => extracted.has(t.toUpperCase()))).toEqual([]);
  });

  it('hints only at tokens that are not keys of the project', () => {
    const matcher = createKeyMatcher({ projects: file.projectKeys });
    const tokens = sorted(file.commits.flatMap((c) => findKeyLikeTokens(c.message, matcher)));
    expect(tokens.filter((t) => !file.otherKeyLikeTokens.includes(t))).toEqual([]);
    expect(tokens.filter((t) => file.projectKeys.some((p) => t.startsWith(`${p}-`)))).toEqual([]);
  });

  it('accounts for every extracted key in the deploy summary (shipped or reverted)', () => {
    const matcher = createKeyMatcher({ projects: file.projectKeys });
    const summary = summarizeDeployKeys([...file.commits].reverse(), matcher);
    expect(sorted([...summary.shipped.keys(), ...summary.reverted.keys()])).toEqual(extractedKeys(file));
    expect(summary.byCommit.size).toBe(new Set(file.commits.map((c) => c.sha)).size);
  });
});

const withOfficialList = corpus.filter((f) => f.expectedKeys !== null);

describe('official release lists', () => {
  it('exist for the four parquet ranges', () => {
    expect(withOfficialList.map((f) => f.file)).toEqual(corpus.filter((f) => f.file.startsWith('parquet-java')).map((f) => f.file));
  });

  it.each(withOfficialList)('$file: every official key that a commit references is found', (file) => {
    const referenced = (file.expectedKeys ?? []).filter((k) => file.commits.some((c) => referencedIn(c.message, k)));
    expect(referenced.length).toBeGreaterThan(0);
    const extracted = new Set(extractedKeys(file));
    expect(referenced.filter((k) => !extracted.has(k))).toEqual([]);
  });
});

describe('reverts in kafka 3.6.0..3.7.0', () => {
  const file = corpusFile('kafka__3.6.0..3.7.0.json');
  const matcher = createKeyMatcher({ projects: file.projectKeys });
  const summary = summarizeDeployKeys([...file.commits].reverse(), matcher);
  const subjectsOf = (key: string, map: ReadonlyMap<string, readonly string[]>) =>
    (map.get(key) ?? []).map((sha) => file.commits.find((c) => c.sha === sha)?.message.split('\n', 1)[0]);

  it('KAFKA-15661 is reverted and re-applied in the range, so it ships', () => {
    expect(summary.reverted.has('KAFKA-15661')).toBe(false);
    expect(subjectsOf('KAFKA-15661', summary.shipped)).toEqual([
      'KAFKA-15661: KIP-951: protocol changes (#14627)',
      'KAFKA-15661: KIP-951: Server side changes (#14444)',
      'Revert "KAFKA-15661: KIP-951: Server side changes (#14444)" (#14738)',
      'Revert "Revert "KAFKA-15661: KIP-951: Server side changes (#14444)" (#14738)" (#14747)',
    ]);
  });

  it('KAFKA-16089 reverts one KAFKA-14412 commit (20a2230); #14839 of KAFKA-14412 stays, so KAFKA-14412 still ships', () => {
    expect(summary.reverted.has('KAFKA-14412')).toBe(false);
    expect(subjectsOf('KAFKA-14412', summary.shipped)).toEqual([
      'KAFKA-14412: Add ProcessingThread tag interface (#14839)',
      'KAFKA-14412: Better Rocks column family management (#14852)',
      'KAFKA-16089: Revert "KAFKA-14412: Better Rocks column family management" (#15145)',
    ]);
    expect(subjectsOf('KAFKA-16089', summary.shipped)).toEqual(['KAFKA-16089: Revert "KAFKA-14412: Better Rocks column family management" (#15145)']);
  });

  it('KAFKA-16086 is reverted by a bullet of the squashed KAFKA-16089 body', () => {
    expect(summary.shipped.has('KAFKA-16086')).toBe(false);
    expect(subjectsOf('KAFKA-16086', summary.reverted)).toEqual([
      'KAFKA-16086: Fix memory leak in RocksDBStore (#15135)',
      'KAFKA-16089: Revert "KAFKA-14412: Better Rocks column family management" (#15145)',
    ]);
  });
});

describe('reverts in kafka 3.6.0..3.7.0 that name their commit', () => {
  const file = corpusFile('kafka__3.6.0..3.7.0.json');
  const summary = summarizeDeployKeys([...file.commits].reverse(), createKeyMatcher({ projects: file.projectKeys }));
  it('KAFKA-16101: only its follow-up f7882a2 is reverted, #15193 still ships', () => {
    expect(summary.shipped.has('KAFKA-16101')).toBe(true);
    expect(summary.reverted.has('KAFKA-16101')).toBe(false);
  });
  it('exactly KAFKA-16086 is taken out of the 3.7.0 release', () => {
    expect(sorted(summary.reverted.keys())).toEqual(['KAFKA-16086']);
  });
});

describe('reverts in kafka 3.7.0..3.7.1', () => {
  const file = corpusFile('kafka__3.7.0..3.7.1.json');
  const summary = summarizeDeployKeys([...file.commits].reverse(), createKeyMatcher({ projects: file.projectKeys }));

  it('KAFKA-16341 and KAFKA-16342 are shipped then reverted', () => {
    expect(sorted(summary.reverted.keys())).toEqual(['KAFKA-16341', 'KAFKA-16342']);
    expect(summary.reverted.get('KAFKA-16341')).toHaveLength(2);
    expect(summary.reverted.get('KAFKA-16342')).toHaveLength(2);
  });
});
