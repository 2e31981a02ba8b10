/**
 * The corpus test's checks (extract-jira-keys.corpus.test.ts, `npm run test:corpus`) on a synthetic release range
 * that has every pattern of the corpus: `npm test` needs no corpus.
 */
import { describe, expect, it } from 'vitest';
import { createKeyMatcher, extractKeys, findKeyLikeTokens, summarizeDeployKeys } from '../../src/core/jira-keys/extract-jira-keys.js';
import {
  SYNTHETIC_COMMITS,
  SYNTHETIC_HINTED_TOKENS,
  SYNTHETIC_NOT_KEYS,
  SYNTHETIC_PROJECTS,
  SYNTHETIC_REVERTED_KEYS,
  SYNTHETIC_SHIPPED_KEYS,
} from '../helpers/synthetic-release-range.js';

const sorted = (keys: Iterable<string>): string[] => [...new Set(keys)].sort();
const matcher = createKeyMatcher({ projects: SYNTHETIC_PROJECTS });
const extracted = sorted(SYNTHETIC_COMMITS.flatMap((c) => extractKeys(c.message, matcher)));

describe('a synthetic release range with every corpus pattern', () => {
  it('extracts exactly the keys the range ships or reverts', () => {
    expect(extracted).toEqual(sorted([...SYNTHETIC_SHIPPED_KEYS, ...SYNTHETIC_REVERTED_KEYS]));
  });

  it('reports none of the traps as a key', () => {
    expect(extracted.filter((k) => SYNTHETIC_NOT_KEYS.includes(k))).toEqual([]);
  });

  it('reports nothing more with denylisted and foreign projects discovered', () => {
    const discovered = createKeyMatcher({
      projects: [...SYNTHETIC_PROJECTS, 'CVE', 'KIP', 'PR', 'JDK', 'GH', 'PLAINTEXT', 'SSL', 'UTF', 'SHA', 'ISO'],
      projectsDiscovered: true,
    });
    expect(sorted(SYNTHETIC_COMMITS.flatMap((c) => extractKeys(c.message, discovered)))).toEqual(extracted);
  });

  it('hints only at the typo and the foreign key', () => {
    expect(sorted(SYNTHETIC_COMMITS.flatMap((c) => findKeyLikeTokens(c.message, matcher)))).toEqual(SYNTHETIC_HINTED_TOKENS);
  });

  it('ships and reverts what the range says, reverts and re-applies included, and accounts for every commit', () => {
    const summary = summarizeDeployKeys(SYNTHETIC_COMMITS, matcher);
    expect(sorted(summary.shipped.keys())).toEqual(SYNTHETIC_SHIPPED_KEYS);
    expect(sorted(summary.reverted.keys())).toEqual(SYNTHETIC_REVERTED_KEYS);
    expect(summary.byCommit.size).toBe(SYNTHETIC_COMMITS.length);
  });
});
