import { describe, expect, it } from 'vitest';
import { defaultRepoConfig } from '../../src/core/config/repo-config-schema.js';
import { buildExemptPullRequestReport, pullRequestExemption, type PullRequestFacts } from '../../src/core/pull-request/evaluate-pull-request.js';

const pr: PullRequestFacts = {
  number: 7,
  title: 'Fix typo',
  url: 'https://github.com/acme/shop/pull/7',
  headRef: 'fix/typo',
  headSha: 'a'.repeat(40),
  baseRef: 'main',
  author: 'dev1',
  draft: false,
  labels: [],
  state: 'open',
};

describe('pull request exemptions', () => {
  it.each([
    { name: 'exempt author, any case', facts: { author: 'Dependabot[bot]' }, reason: 'author Dependabot[bot] is exempt' },
    { name: 'exempt label, any case', facts: { labels: ['bug', 'No-Ticket'] }, reason: 'labelled "No-Ticket"' },
    { name: 'draft', facts: { draft: true }, reason: 'draft (checked when ready for review)' },
    { name: 'none', facts: {}, reason: null },
  ])('$name', ({ facts, reason }) => {
    expect(pullRequestExemption({ ...pr, ...facts }, defaultRepoConfig)).toBe(reason);
  });
});

describe('buildExemptPullRequestReport', () => {
  it('is a success for the head, with the reason as description and nothing read', () => {
    const report = buildExemptPullRequestReport(
      { repo: { owner: 'acme', repo: 'shop' }, trigger: 'pull_request', evaluatedAt: '2026-11-22T00:00:00.000Z' },
      pr,
      'labelled "no-ticket"',
    );
    expect(report).toMatchObject({
      kind: 'pull_request',
      pullRequest: { number: 7, title: 'Fix typo', url: pr.url },
      headSha: pr.headSha,
      headBranch: 'fix/typo',
      baseBranch: 'main',
      state: 'success',
      error: null,
      findings: [],
      commits: [],
      statusDescription: 'Exempt from the ticket check: labelled "no-ticket"',
    });
  });
});
