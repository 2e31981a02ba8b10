import { describe, expect, it } from 'vitest';
import { buildDeployComment, describeNoTransition, pickTransition } from '../../src/core/slack-announcement/jira-write-back-plan.js';
import { announcementInput, TO_SHA } from './deploy-announcement-fixtures.js';

const transitions = [
  { id: '11', name: 'Start progress', toStatus: 'In Progress' },
  { id: '31', name: 'Release', toStatus: 'Released' },
  { id: '41', name: 'Close', toStatus: 'Done' },
];

describe('pickTransition', () => {
  it.each([
    ['transition name', 'Release', '31'],
    ['transition name, other case and spaces', '  release ', '31'],
    ['target status name', 'released', '31'],
    ['target status of another transition', 'Done', '41'],
    ['nothing matches', 'Deployed', null],
  ])('by %s', (_name, wanted, id) => {
    expect(pickTransition(transitions, wanted)?.id ?? null).toBe(id);
  });

  it('prefers a transition name over a status name', () => {
    const t = [
      { id: '1', name: 'Go', toStatus: 'Released' },
      { id: '2', name: 'Released', toStatus: 'Archived' },
    ];
    expect(pickTransition(t, 'Released')?.id).toBe('2');
  });
});

describe('describeNoTransition', () => {
  it('lists what is available', () => {
    expect(describeNoTransition('Released', 'In Review', transitions.slice(0, 1))).toBe(
      'no transition "Released" from status "In Review" (available: Start progress → In Progress)',
    );
    expect(describeNoTransition('Released', null, [])).toBe('no transition "Released" (none is available)');
  });
});

describe('buildDeployComment', () => {
  it('says repo, SHA, time, who and links', () => {
    expect(buildDeployComment(announcementInput())).toBe(
      `Deployed to production of acme/shop at 2024-05-02T14:03:27Z by octocat: commit ${TO_SHA}.\n\n` +
        `Deploy report: https://deploy-checker.example.com/repos/acme/shop/reports/${TO_SHA}\n\n` +
        `Changes: https://github.com/acme/shop/compare/1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...${TO_SHA}`,
    );
  });

  it('says rolled back for a rollback', () => {
    expect(buildDeployComment(announcementInput({ rollback: true, reportUrl: null, compareUrl: null, deployedBy: null }))).toBe(
      `Rolled back: no longer in production of acme/shop since 2024-05-02T14:03:27Z (production moved back to ${TO_SHA}).`,
    );
  });
});
