/**
 * A push to the deploy branch reads both branch heads at once (two round trips in parallel, not in series), through
 * the whole Probot app with GitHub and JIRA mocked strictly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { startHarness, JIRA_URL, type Harness } from '../helpers/app-harness.js';
import { useStrictNock } from '../helpers/strict-nock.js';
import { fakeSha, GITHUB_API, mockGitHub } from '../helpers/github-mock.js';
import { mockJiraCloud, readyTicket } from '../helpers/jira-mock.js';
import { pushPayload, type TestRepo } from '../helpers/webhook-payloads.js';

const target: TestRepo = { owner: 'acme', repo: 'shop', installationId: 78 };
const PROD = fakeSha('branch-reads-production');
const HEAD = fakeSha('branch-reads-deploy');

useStrictNock();

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.stop();
});

describe('push to the deploy branch', () => {
  it('reads the deploy and production heads concurrently', async () => {
    const gh = mockGitHub(target);
    const jira = mockJiraCloud(JIRA_URL);
    gh.installationToken();
    gh.config('jira:\n  projects: [PROJ]\n');
    const timeline: string[] = [];
    for (const [branch, sha] of [
      ['deploy', HEAD],
      ['production', PROD],
    ] as const) {
      nock(GITHUB_API)
        .get(`/repos/${target.owner}/${target.repo}/branches/${branch}`)
        .delay(30)
        .reply(() => {
          timeline.push(`asked ${branch}`);
          return [200, { name: branch, commit: { sha }, protected: false }];
        })
        .on('replied', () => timeline.push(`answered ${branch}`));
    }
    gh.compare(PROD, HEAD, [{ sha: fakeSha('branch-reads-1'), message: 'PROJ-1: login' }]);
    gh.status(HEAD, 2);
    jira.fields();
    jira.bulkfetch([readyTicket('PROJ-1')]);

    expect(await harness.deliver('push', pushPayload(target, { ref: 'refs/heads/deploy', after: HEAD }))).toBe(200);

    // Both questions are out before the first answer arrives.
    const firstAnswer = timeline.findIndex((e) => e.startsWith('answered'));
    expect(timeline.slice(0, firstAnswer).sort()).toEqual(['asked deploy', 'asked production']);
    expect(gh.statuses.map((s) => s.state)).toEqual(['pending', 'success']);
  });
});
