/** What an announcement says about the shipped SHA's deploy check, the on-call mention and the post-deploy checks. */
import { describe, expect, it } from 'vitest';
import { buildDeployAnnouncement, slackMentions } from '../../src/core/slack-announcement/build-deploy-announcement.js';
import type { SlackMessage } from '../../src/core/slack-announcement/slack-blocks.js';
import { isWithinSlackLimits } from '../../src/core/slack-announcement/slack-blocks.js';
import { announcementInput, doc, story } from './deploy-announcement-fixtures.js';

function allText(message: SlackMessage): string {
  return message.blocks
    .flatMap((b) => (b.type === 'section' ? [b.text.text] : b.type === 'context' ? b.elements.map((e) => e.text) : b.type === 'header' ? [b.text.text] : []))
    .join('\n');
}

const checked = story('S-1', { postDeployChecks: doc('Open the page') });

describe('the shipped deploy check in the announcement', () => {
  it.each([
    [{ state: 'success' } as const, ':white_check_mark: The deploy check passed.', ''],
    [
      { state: 'failure', problems: ['S-1 is In Progress', 'S-2 is unknown to JIRA', 'S-3 has no risk assessment', 'commit abc1234 has no ticket'] } as const,
      ':warning: *Shipped with 4 unresolved problems:* S-1 is In Progress; S-2 is unknown to JIRA; S-3 has no risk assessment; and 1 more.',
      ' Shipped with 4 unresolved problems.',
    ],
    [
      { state: 'error', error: 'JIRA answered HTTP 503' } as const,
      ':warning: *Shipped while its deploy check could not finish:* JIRA answered HTTP 503.',
      ' Shipped without a completed deploy check.',
    ],
    [
      { state: 'never-checked' } as const,
      ':grey_question: *Shipped without a deploy check:* deploy-checker never evaluated `2222222`.',
      ' Shipped without a completed deploy check.',
    ],
  ])('%j', (shippedCheck, line, fallback) => {
    const message = buildDeployAnnouncement(announcementInput({ stories: [checked], shippedCheck }));
    expect(allText(message)).toContain(line);
    expect(message.text).toContain(`1 story.${fallback}`);
  });

  it('says nothing about the check when it is not known', () => {
    const text = allText(buildDeployAnnouncement(announcementInput({ stories: [checked] })));
    expect(text).not.toMatch(/The deploy check|Shipped (with|without|while)/);
  });

  it('problem summaries from JIRA are escaped like any ticket text', () => {
    const message = buildDeployAnnouncement(
      announcementInput({ stories: [checked], shippedCheck: { state: 'failure', problems: ['<!channel> S-9 is *In Progress* & <https://evil|x>'] } }),
    );
    expect(allText(message)).not.toMatch(/<!channel>|<https:\/\/evil/);
  });
});

describe('the on-call mention (slack.mention)', () => {
  it('renders user groups and users; drops anything that is not an id', () => {
    expect(slackMentions(['S0ONCALL', 'U012ABC', 'W0XYZ', 'here', '<!channel>', 's0lower'])).toBe('<!subteam^S0ONCALL> <@U012ABC> <@W0XYZ>');
  });

  it.each([
    ['a clean, low-risk deploy', { shippedCheck: { state: 'success' } as const, stories: [checked] }, false],
    ['a deploy shipped with problems', { shippedCheck: { state: 'failure', problems: ['x'] } as const, stories: [checked] }, true],
    ['a deploy never checked', { shippedCheck: { state: 'never-checked' } as const, stories: [checked] }, true],
    ['a high-risk story', { stories: [story('S-2', { riskLevel: 'High', postDeployChecks: doc('x') })] }, true],
  ])('%s → mentioned: %s', (_name, overrides, mentioned) => {
    const message = buildDeployAnnouncement(announcementInput({ ...overrides, mention: ['S0ONCALL'] }));
    expect(allText(message).includes('<!subteam^S0ONCALL>')).toBe(mentioned);
    expect(message.text.startsWith('<!subteam^S0ONCALL> ')).toBe(mentioned);
  });
});

describe('post-deploy checks', () => {
  it('lists multi-line checks one per line, at most five, and says how many more are in JIRA', () => {
    const lines = ['Open the basket', 'Pay 1 EUR', 'Refund it', 'Check the ledger', 'Watch errors 15 min', 'Tell support', 'Close the incident'];
    const text = allText(buildDeployAnnouncement(announcementInput({ stories: [story('S-1', { postDeployChecks: doc(...lines) })] })));
    expect(text).toContain('↳ _Post-deploy checks:_\n          ◦ Open the basket\n          ◦ Pay 1 EUR');
    expect(text).toContain('◦ Watch errors 15 min\n          ◦ _and 2 more in JIRA_');
    expect(text).not.toContain('Tell support');
    expect(text).not.toContain('; ');
  });

  it('flags a story without checks', () => {
    expect(allText(buildDeployAnnouncement(announcementInput({ stories: [story('S-1')] })))).toContain('↳ :warning: _No post-deploy checks._');
  });

  it('500 stories with long multi-line checks, problems and a mention stay within every Slack limit', () => {
    const stories = Array.from({ length: 500 }, (_, i) =>
      story(`BIG-${i + 1}`, {
        postDeployChecks: doc(...Array.from({ length: 8 }, (_, j) => `Check ${j} `.repeat(30))),
        riskLevel: i % 7 === 0 ? 'High' : null,
      }),
    );
    const message = buildDeployAnnouncement(
      announcementInput({
        stories,
        mention: ['S0ONCALL'],
        shippedCheck: { state: 'failure', problems: Array.from({ length: 900 }, (_, i) => `BIG-${i} is In Progress `.repeat(20)) },
      }),
    );
    expect(isWithinSlackLimits(message)).toBe(true);
    expect(message.blocks.at(-1)?.type).toBe('actions');
  });
});

describe('who, when and the range', () => {
  it('is a context block under the header', () => {
    const message = buildDeployAnnouncement(announcementInput({ stories: [checked] }));
    expect(message.blocks[1]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Deployed by *octocat* · 2024-05-02 14:03 UTC · `1111111` → `2222222`', verbatim: true }],
    });
  });
});
