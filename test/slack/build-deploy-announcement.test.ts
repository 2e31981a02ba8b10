import { describe, expect, it } from 'vitest';
import { buildDeployAnnouncement } from '../../src/core/slack-announcement/build-deploy-announcement.js';
import type { AnnouncedStory } from '../../src/core/slack-announcement/deploy-announcement-input.js';
import { announcementInput, doc, story, ticket, typicalDeploy } from './deploy-announcement-fixtures.js';
import { allText, expectWithinLimits, sectionTexts } from './slack-message-assertions.js';

describe('buildDeployAnnouncement', () => {
  it('renders a typical deploy (snapshot)', () => {
    const message = buildDeployAnnouncement(typicalDeploy());
    expect(message).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": ":rocket: acme/shop deployed 2222222 by octocat · 4 stories",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "elements": [
              {
                "text": "Deployed by *octocat* · 2024-05-02 14:03 UTC · \`1111111\` → \`2222222\`",
                "type": "mrkdwn",
                "verbatim": true,
              },
            ],
            "type": "context",
          },
          {
            "text": {
              "text": "*4 stories* · 9 commits · :warning: *1 high-risk*
      :rotating_light: *On call: run the post-deploy checks below now.*",
              "type": "mrkdwn",
              "verbatim": true,
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": ":warning: *High-risk stories (1)*
      • <https://jira.example.com/browse/SHOP-102|*SHOP-102*> Switch card payments to the new PSP — _Task_ · Bo Builder · 3 commits
            ↳ _Post-deploy checks:_
                ◦ Pay 1 EUR with a test card
                ◦ Watch the psp-errors dashboard for 15 min",
              "type": "mrkdwn",
              "verbatim": true,
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Stories (3)*
      • <https://jira.example.com/browse/SHOP-101|*SHOP-101*> Show delivery dates on the basket page — _Story_ · Ann Example · 2 commits
            ↳ _Post-deploy checks:_ Open a basket and check the date
      • <https://jira.example.com/browse/SHOP-7|*SHOP-7*> _not found in JIRA_ · 1 commit
      • <https://jira.example.com/browse/SHOP-103|*SHOP-103*> Fix typo in footer — _Bug_ · unassigned · 1 commit
            ↳ :warning: _No post-deploy checks._",
              "type": "mrkdwn",
              "verbatim": true,
            },
            "type": "section",
          },
          {
            "text": {
              "text": ":grey_question: *2 commits* without a ticket shipped — <https://github.com/acme/shop/compare/1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb|see the commits>.",
              "type": "mrkdwn",
              "verbatim": true,
            },
            "type": "section",
          },
          {
            "text": {
              "text": ":leftwards_arrow_with_hook: *Reverted by this deploy:* <https://jira.example.com/browse/SHOP-90|*SHOP-90*> Experimental search ranking (1 commit).",
              "type": "mrkdwn",
              "verbatim": true,
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "action_id": "view_report",
                "text": {
                  "text": "View report",
                  "type": "plain_text",
                },
                "type": "button",
                "url": "https://deploy-checker.example.com/repos/acme/shop/reports/2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
              },
              {
                "action_id": "view_compare",
                "text": {
                  "text": "Compare on GitHub",
                  "type": "plain_text",
                },
                "type": "button",
                "url": "https://github.com/acme/shop/compare/1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
              },
            ],
            "type": "actions",
          },
        ],
        "text": "acme/shop deployed 2222222 by octocat: 4 stories, 1 high-risk (SHOP-102). Report: https://deploy-checker.example.com/repos/acme/shop/reports/2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
      }
    `);
    expectWithinLimits(message);
  });

  it('puts high-risk stories first, in their own section, whatever their position in the input', () => {
    const input = announcementInput({
      stories: [
        story('A-1'),
        story('A-2', { riskLevel: 'Critical' }),
        story('A-3'),
        story('A-4', { riskAssessment: doc('Risk: high — migrates the orders table') }),
        story('A-5', { riskAssessment: doc('Highway code update, low risk') }),
      ],
    });
    const sections = sectionTexts(buildDeployAnnouncement(input));
    const highRisk = sections.find((s) => s.startsWith(':warning: *High-risk stories (2)*'));
    expect(highRisk).toBeDefined();
    const keysInOrder = [...sections.join('\n').matchAll(/\|\*(A-\d)\*>/g)].map((m) => m[1]);
    expect(keysInOrder).toEqual(['A-2', 'A-4', 'A-1', 'A-3', 'A-5']);
    expect(highRisk).toContain(':warning: _No post-deploy checks for a high-risk story._');
    // A story without post-deploy checks is flagged in every group, never silently left without the line.
    expect(sections.find((s) => s.startsWith('*Stories (3)*'))).toContain(':warning: _No post-deploy checks._');
  });

  it('keeps a 500-story deploy within every limit and says how many more there are', () => {
    const stories: AnnouncedStory[] = Array.from({ length: 500 }, (_, i) =>
      story(
        `BIG-${i + 1}`,
        {
          summary: `Story number ${i + 1} with a reasonably long summary that describes the change in some detail`,
          postDeployChecks: doc(`Check thing ${i + 1} on the dashboard`, 'Then check the logs for errors'),
          riskLevel: i % 50 === 0 ? 'High' : 'Low',
        },
        2,
      ),
    );
    const input = announcementInput({ stories, commitCount: 1000, commitsWithoutTicket: 40 });
    const message = buildDeployAnnouncement(input);
    expectWithinLimits(message);
    const text = allText(message);
    const shown = [...text.matchAll(/\|\*(BIG-\d+)\*>/g)].map((m) => m[1]!);
    expect(shown.length).toBeGreaterThan(20);
    expect(shown.length).toBeLessThan(500);
    // The 10 high-risk ones (1, 51, 101, …) all come first.
    expect(shown.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `BIG-${i * 50 + 1}`));
    const more = sectionTexts(message).find((s) => s.startsWith('…and'));
    expect(more).toBe(
      `…and *${500 - shown.length} more stories* — <https://deploy-checker.example.com/repos/acme/shop/reports/${input.toSha}|see the full report>.`,
    );
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: ':rocket: acme/shop deployed 2222222 by octocat · 500 stories' } });
    expect(text).toContain(':grey_question: *40 commits* without a ticket shipped');
  });

  it('keeps 500 hostile high-risk stories (huge fields full of & < >) within every limit', () => {
    const nasty = '<!channel> & <@U12345> '.repeat(400);
    const stories: AnnouncedStory[] = Array.from({ length: 500 }, (_, i) =>
      story(`EVIL-${i + 1}`, {
        summary: nasty,
        type: nasty,
        assignee: nasty,
        riskLevel: 'critical',
        postDeployChecks: [{ type: 'list', ordered: false, items: Array.from({ length: 50 }, () => nasty) }],
      }),
    );
    const reverted = Array.from({ length: 300 }, (_, i) => ({ key: `EVIL-${i + 900}`, ticket: ticket(`EVIL-${i + 900}`, { summary: nasty }), commitCount: 1 }));
    const message = buildDeployAnnouncement(
      announcementInput({ stories, reverted, deployedBy: nasty, repo: { owner: 'o'.repeat(39), repo: 'r'.repeat(100) } }),
    );
    expectWithinLimits(message);
    const text = allText(message) + message.text;
    expect(text).not.toMatch(/<[!@#]/);
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/); // no entity cut in half by truncation
    expect(text).toContain('…and *');
    expect(text).toContain('high-risk');
  });

  it('shows a small deploy completely, without an "and N more" line', () => {
    const message = buildDeployAnnouncement(announcementInput({ stories: [story('S-1'), story('S-2')] }));
    expect(allText(message)).not.toContain('…and');
    expect(allText(message)).toContain('*Stories (2)*');
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'divider', 'section', 'actions']);
  });

  it('announces an empty deploy', () => {
    const message = buildDeployAnnouncement(announcementInput({ commitCount: 3, commitsWithoutTicket: 3 }));
    expect(sectionTexts(message)).toContain('No stories in this deploy.');
    expect(message.text).toBe(
      'acme/shop deployed 2222222 by octocat: 0 stories. Report: https://deploy-checker.example.com/repos/acme/shop/reports/2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
    );
  });

  it('announces a rollback with the stories it removes, without post-deploy checks', () => {
    const input = announcementInput({
      rollback: true,
      stories: [
        story('SHOP-5', { summary: 'New checkout', postDeployChecks: doc('Buy something') }, 4),
        story('SHOP-6', { riskLevel: 'High', summary: 'Payment retries' }),
      ],
      commitCount: 5,
    });
    const message = buildDeployAnnouncement(input);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':rewind: Rollback of acme/shop to 2222222 by octocat · removes 2 stories', emoji: true },
    });
    const sections = sectionTexts(message);
    expect(sections[0]).toContain(':warning: Production of *acme/shop* moved *back* from `1111111` to `2222222` by *octocat*');
    expect(sections[0]).toContain('*2 stories are* no longer in production (5 commits removed) · :warning: *1 high-risk*.');
    expect(sections[0]).not.toContain('On call');
    expect(sections[1]).toMatch(/^:warning: \*High-risk stories removed \(1\)\*\n• <[^>]+\|\*SHOP-6\*> Payment retries/);
    expect(sections[2]).toMatch(/^\*Stories removed \(1\)\*\n• <[^>]+\|\*SHOP-5\*> New checkout — _Story_ · Ann Example · 4 commits$/);
    expect(allText(message)).not.toContain('Post-deploy checks');
    expect(message.text).toMatch(/^Rollback of acme\/shop to 2222222 by octocat: removes 2 stories, 1 high-risk \(SHOP-6\)\./);
  });

  it.each([
    ['broadcast mention', '<!channel> deploy now', '&lt;!channel&gt; deploy now'],
    ['user mention', 'ping <@U024BE7LH>', 'ping &lt;@U024BE7LH&gt;'],
    ['user group', '<!subteam^SAZ94GDB8> look', '&lt;!subteam^SAZ94GDB8&gt; look'],
    ['channel link', 'see <#C024BE7LR>', 'see &lt;#C024BE7LR&gt;'],
    ['fake link', '<https://evil.example|Click to approve>', '&lt;https://evil.example|Click to approve&gt;'],
    ['ampersand', 'R&D <b>', 'R&amp;D &lt;b&gt;'],
    ['entity kept literal', '&lt;!here&gt;', '&amp;lt;!here&amp;gt;'],
    ['bare @here', 'hey @here and @Channel', 'hey @\u200Bhere and @\u200BChannel'],
    ['newlines collapsed', 'line one\n• SHOP-999 fake line\r\nthree', 'line one • SHOP-999 fake line three'],
  ])('neutralises %s in ticket text', (_name, summary, expected) => {
    const message = buildDeployAnnouncement(announcementInput({ stories: [story('SAFE-1', { summary })] }));
    const line = sectionTexts(message).find((s) => s.includes('SAFE-1'));
    expect(line).toContain(`|*SAFE-1*> ${expected} — _Story_`);
  });

  it('neutralises mentions in every attacker-controlled field and in the fallback text', () => {
    const bad = '<!channel> @everyone <@U1>';
    const message = buildDeployAnnouncement(
      announcementInput({
        deployedBy: bad,
        stories: [story('X-1', { summary: bad, type: bad, assignee: bad, riskLevel: 'high', postDeployChecks: doc(bad) })],
        reverted: [{ key: 'X-2', ticket: ticket('X-2', { summary: bad }), commitCount: 1 }],
      }),
    );
    const everything = `${allText(message)}\n${message.text}`;
    expect(everything).not.toMatch(/<[!@#]/);
    expect(everything).not.toMatch(/@everyone/);
    expect(everything).toContain('&lt;!channel&gt;');
    const header = message.blocks[0];
    expect(header?.type === 'header' && header.text.text).toBe(':rocket: acme/shop deployed 2222222 by !channel @\u200Beveryone @U1 · 1 story');
  });

  it('links only http(s) URLs and escapes & in them', () => {
    const message = buildDeployAnnouncement(
      announcementInput({
        stories: [story('L-1', { url: 'javascript:alert(1)' }), story('L-2', { url: 'https://jira.example.com/browse/L-2?a=1&b=<2>|x' })],
        reportUrl: 'ftp://example.com/report',
        compareUrl: null,
      }),
    );
    const text = sectionTexts(message).join('\n');
    expect(text).toContain('<https://jira.example.com/browse/L-1|*L-1*>'); // fell back to the JIRA base URL
    expect(text).toContain('<https://jira.example.com/browse/L-2?a=1&amp;b=%3C2%3E%7Cx|*L-2*>');
    expect(text).not.toContain('ftp://');
    expect(text).not.toContain('javascript:');
  });
});
