/** ApprovalRequestContent fixtures for the approval request tests. */
import type { ApprovalRequestContent, ShaCheck } from '../../src/core/approval/deploy-approval-port.js';

export const APPROVAL_SHA = 'c0ffee1234567890abcdef1234567890abcdef12';
export const REPORT_URL = 'https://deploys.example.com/deploys/acme/shop/c0ffee1234567890abcdef1234567890abcdef12';

type Story = ApprovalRequestContent['stories'][number];

export function story(key: string, overrides: Partial<Story> = {}): Story {
  return {
    key,
    summary: `Summary of ${key}`,
    url: `https://jira.example.com/browse/${key}`,
    highRisk: false,
    postDeployChecks: [`Check ${key} on the shop page`],
    ...overrides,
  };
}

export function approvalContent(overrides: Partial<ApprovalRequestContent> = {}): ApprovalRequestContent {
  return {
    reviewId: 4242,
    repo: { owner: 'acme', repo: 'shop' },
    environment: 'production',
    sha: APPROVAL_SHA,
    requestedBy: 'octocat',
    reportUrl: REPORT_URL,
    stories: [story('SHOP-1'), story('SHOP-2', { highRisk: true, postDeployChecks: ['Pay with a test card', 'Refund it'] })],
    problems: ['SHOP-3 is not in status Ready for release'],
    checks: [
      { name: 'ci/build', state: 'success', url: 'https://ci.example.com/build/1' },
      { name: 'deploy-checker', state: 'failure', url: null },
      { name: 'e2e', state: 'in_progress', url: null },
    ],
    reason: 'problems',
    approvers: ['U0ONCALL1', 'S0RELEASE'],
    ...overrides,
  };
}

export function manyStories(n: number, highRiskEvery = 7): Story[] {
  return Array.from({ length: n }, (_, i) =>
    story(`SHOP-${i + 1}`, {
      summary: `A long enough summary for story ${i + 1} that describes what changed in the checkout & payment flow`,
      highRisk: i % highRiskEvery === 0,
      postDeployChecks: ['Open the checkout', 'Pay with a test card', 'Refund the payment'],
    }),
  );
}

const STATES = ['success', 'failure', 'pending', 'error', 'neutral', 'skipped', 'cancelled', 'timed_out', 'action_required', 'in_progress', 'queued'];

export function manyChecks(n: number): ShaCheck[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `ci/job-${i + 1} (matrix: node 20, postgres 16)`,
    state: STATES[i % STATES.length] ?? 'success',
    url: `https://ci.example.com/jobs/${i + 1}`,
  }));
}
