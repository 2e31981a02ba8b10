/** Builders of tickets and announcement inputs for the Slack tests. */
import type { RichDoc, TicketSnapshot } from '../../src/core/domain.js';
import type { AnnouncedStory, DeployAnnouncementInput } from '../../src/core/slack-announcement/deploy-announcement-input.js';

export const FROM_SHA = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const TO_SHA = '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
export const JIRA = 'https://jira.example.com';

export function doc(...paragraphs: string[]): RichDoc {
  return paragraphs.map((text) => ({ type: 'paragraph', text }) as const);
}

export function ticket(key: string, overrides: Partial<TicketSnapshot> = {}): TicketSnapshot {
  return {
    key,
    summary: `Summary of ${key}`,
    type: 'Story',
    status: 'Ready for Deploy',
    assignee: 'Ann Example',
    riskAssessment: doc('Low: UI only'),
    postDeployChecks: [],
    riskLevel: null,
    url: `${JIRA}/browse/${key}`,
    ...overrides,
  };
}

export function story(key: string, overrides: Partial<TicketSnapshot> = {}, commitCount = 1): AnnouncedStory {
  return { key, ticket: ticket(key, overrides), commitCount };
}

export function announcementInput(overrides: Partial<DeployAnnouncementInput> = {}): DeployAnnouncementInput {
  return {
    repo: { owner: 'acme', repo: 'shop' },
    fromSha: FROM_SHA,
    toSha: TO_SHA,
    deployedBy: 'octocat',
    deployedAt: '2024-05-02T14:03:27Z',
    rollback: false,
    stories: [],
    commitCount: 0,
    commitsWithoutTicket: 0,
    reverted: [],
    compareUrl: `https://github.com/acme/shop/compare/${FROM_SHA}...${TO_SHA}`,
    reportUrl: `https://deploy-checker.example.com/repos/acme/shop/reports/${TO_SHA}`,
    jiraBaseUrl: JIRA,
    highRiskValues: ['High', 'Critical'],
    ...overrides,
  };
}

/** A typical deploy: three stories, one high-risk with checks, one unknown key, a revert, two bare commits. */
export function typicalDeploy(overrides: Partial<DeployAnnouncementInput> = {}): DeployAnnouncementInput {
  return announcementInput({
    stories: [
      story('SHOP-101', { summary: 'Show delivery dates on the basket page', postDeployChecks: doc('Open a basket and check the date') }, 2),
      story(
        'SHOP-102',
        {
          summary: 'Switch card payments to the new PSP',
          type: 'Task',
          assignee: 'Bo Builder',
          riskAssessment: doc('HIGH: all card payments go through the new provider'),
          postDeployChecks: [{ type: 'list', ordered: false, items: ['Pay 1 EUR with a test card', 'Watch the psp-errors dashboard for 15 min'] }],
        },
        3,
      ),
      { key: 'SHOP-7', ticket: null, commitCount: 1 },
      story('SHOP-103', { summary: 'Fix typo in footer', type: 'Bug', assignee: null }, 1),
    ],
    commitCount: 9,
    commitsWithoutTicket: 2,
    reverted: [{ key: 'SHOP-90', ticket: ticket('SHOP-90', { summary: 'Experimental search ranking' }), commitCount: 1 }],
    ...overrides,
  });
}
