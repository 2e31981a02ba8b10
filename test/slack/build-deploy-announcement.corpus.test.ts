/**
 * A real large deploy for the Slack announcement: the ticket keys of Apache Kafka 3.6.0..3.7.0 (../shared/corpus).
 * Runs with `npm run test:corpus`; the synthetic counterpart in `npm test` is the 500-story deploy of
 * build-deploy-announcement.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildDeployAnnouncement } from '../../src/core/slack-announcement/build-deploy-announcement.js';
import { readCommitCorpusFile } from '../helpers/commit-corpus.js';
import { announcementInput, story } from './deploy-announcement-fixtures.js';
import { allText, expectWithinLimits } from './slack-message-assertions.js';

describe('buildDeployAnnouncement on the corpus', () => {
  it('announces a real large deploy (Kafka 3.6.0..3.7.0 keys from the corpus) within every limit', () => {
    const corpus = readCommitCorpusFile('kafka__3.6.0..3.7.0.json') as { commits: { sha: string; message: string }[]; gitKeys: string[] };
    const subjectByKey = new Map<string, string>();
    for (const c of corpus.commits) {
      const subject = c.message.split('\n')[0] ?? '';
      for (const key of corpus.gitKeys) if (subject.includes(key) && !subjectByKey.has(key)) subjectByKey.set(key, subject);
    }
    const stories = corpus.gitKeys.map((key) => story(key, { summary: subjectByKey.get(key) ?? key }));
    expect(stories.length).toBeGreaterThan(300);
    const message = buildDeployAnnouncement(announcementInput({ stories, commitCount: corpus.commits.length }));
    expectWithinLimits(message);
    expect(allText(message)).toMatch(/…and \*\d+ more stories\*/);
    expect(message.blocks[0]).toMatchObject({ text: { text: `:rocket: acme/shop deployed 2222222 by octocat · ${stories.length} stories` } });
  });
});
