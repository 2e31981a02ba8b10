import { describe, expect, it } from 'vitest';
import type { ApprovalRequestContent } from '../../src/core/approval/deploy-approval-port.js';
import type { ActionButton, ApprovalBlock, ApprovalMessage } from '../../src/core/slack-approval/approval-blocks.js';
import {
  APPROVAL_MESSAGE_LIMITS,
  APPROVE_ACTION_ID,
  isApprovalMessageWithinLimits,
  measureApprovalMessage,
  REJECT_ACTION_ID,
} from '../../src/core/slack-approval/approval-blocks.js';
import { buildApprovalRequest, buildDecidedApprovalRequest } from '../../src/core/slack-approval/build-approval-request.js';
import { approvalContent, manyChecks, manyStories, REPORT_URL, story } from './approval-request-fixtures.js';

function texts(message: ApprovalMessage): string {
  return message.blocks
    .map((b: ApprovalBlock) => {
      if (b.type === 'header' || b.type === 'section') return b.text.text;
      if (b.type === 'context') return b.elements.map((e) => e.text).join('\n');
      return '';
    })
    .join('\n');
}

function actionButtons(message: ApprovalMessage): ActionButton[] {
  return message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.filter((e): e is ActionButton => 'value' in e) : []));
}

function allButtons(message: ApprovalMessage) {
  return message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
}

function expectWithinLimits(message: ApprovalMessage): void {
  const m = measureApprovalMessage(message);
  const L = APPROVAL_MESSAGE_LIMITS;
  expect(m.blockCount).toBeLessThanOrEqual(L.maxBlocks);
  expect(m.longestSectionText).toBeLessThanOrEqual(L.maxSectionTextLength);
  expect(m.headerTextLength).toBeLessThanOrEqual(L.maxHeaderTextLength);
  expect(m.longestButtonText).toBeLessThanOrEqual(L.maxButtonTextLength);
  expect(m.longestButtonValue).toBeLessThanOrEqual(L.maxButtonValueLength);
  expect(m.longestConfirmText).toBeLessThanOrEqual(L.maxConfirmTextLength);
  expect(m.blocksJsonLength).toBeLessThanOrEqual(L.maxBlocksJsonLength);
  expect(m.fallbackTextLength).toBeLessThanOrEqual(L.maxFallbackTextLength);
  // Slack's own cap on the fallback text, far above ours.
  expect(message.text.length).toBeLessThanOrEqual(40_000);
  expect(isApprovalMessageWithinLimits(message)).toBe(true);
  for (const b of message.blocks) {
    if (b.type === 'section') {
      expect(b.text.verbatim).toBe(true);
      expect(b.text.text.length).toBeGreaterThan(0);
    }
  }
}

const decided = { state: 'approved', by: 'U0ONCALL1', at: '2026-12-02T01:30:00.000Z', reason: null } as const;

describe('buildApprovalRequest: content', () => {
  const message = buildApprovalRequest(approvalContent());
  const text = texts(message);

  it('says what waits, where, which SHA and who asked, and why it waits', () => {
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':raised_hand: Deploy waiting for approval: acme/shop to production', emoji: true },
    });
    expect(text).toContain(`*acme/shop* · <${REPORT_URL}|\`c0ffee1\`> → *production* · requested by *octocat*`);
    expect(text).toContain('Waiting because the deploy check found 1 problem');
    expect(text).toContain('Approvers: <@U0ONCALL1> <!subteam^S0RELEASE>');
    expect(text).toContain('SHOP-3 is not in status Ready for release');
    expect(message.text).toBe(
      `Deploy waiting for approval: acme/shop c0ffee1 to production (requested by octocat): 2 stories, 1 high-risk (SHOP-2), 1 problem. Report: ${REPORT_URL}`,
    );
  });

  it('explains an approval-only wait', () => {
    expect(texts(buildApprovalRequest(approvalContent({ reason: 'approval', problems: [] })))).toContain(
      "Waiting because deploys to production need an approver's decision.",
    );
  });

  it('lists every status and check run with its state, failing first, then pending, then passing', () => {
    const failing = text.indexOf(':x: deploy-checker — _failure_');
    const pending = text.indexOf(':hourglass_flowing_sand: e2e — _in_progress_');
    const passing = text.indexOf(':white_check_mark: <https://ci.example.com/build/1|ci/build> — _success_');
    expect(failing).toBeGreaterThan(-1);
    expect(pending).toBeGreaterThan(failing);
    expect(passing).toBeGreaterThan(pending);
    expect(text).toContain('*Statuses and checks (3):* :x: 1 failing · :hourglass_flowing_sand: 1 pending · :white_check_mark: 1 passing');
  });

  it('lists high-risk stories first, with a badge and their post-deploy checks as a list', () => {
    const high = text.indexOf(':warning: *HIGH RISK* <https://jira.example.com/browse/SHOP-2|*SHOP-2*> Summary of SHOP-2');
    const normal = text.indexOf('<https://jira.example.com/browse/SHOP-1|*SHOP-1*> Summary of SHOP-1');
    expect(high).toBeGreaterThan(-1);
    expect(normal).toBeGreaterThan(high);
    expect(text).toContain('↳ _Post-deploy checks:_\n          ◦ Pay with a test card\n          ◦ Refund it');
  });

  it('ends with View report, Approve (primary) and Reject (danger, confirmed) carrying the review id', () => {
    const actions = message.blocks[message.blocks.length - 1];
    expect(actions?.type).toBe('actions');
    expect(allButtons(message).map((b) => b.text.text)).toEqual(['View report', 'Approve', 'Reject']);
    const [approve, reject] = actionButtons(message);
    expect(approve).toMatchObject({ action_id: APPROVE_ACTION_ID, value: '4242', style: 'primary' });
    expect(approve?.confirm).toBeUndefined();
    expect(reject).toMatchObject({ action_id: REJECT_ACTION_ID, value: '4242', style: 'danger' });
    expect(reject?.confirm?.title.text).toBe('Reject this deploy?');
    expect(reject?.confirm?.text.text).toBe('The deploy of acme/shop c0ffee1 to production will fail on GitHub.');
    expectWithinLimits(message);
  });
});

describe('buildApprovalRequest: limits', () => {
  it.each([
    ['no stories, no checks', approvalContent({ stories: [], checks: [], problems: [] })],
    ['one story', approvalContent({ stories: [story('SHOP-1')] })],
    ['500 stories', approvalContent({ stories: manyStories(500) })],
    ['300 checks', approvalContent({ checks: manyChecks(300) })],
    [
      '500 stories, 300 checks, 200 problems',
      approvalContent({
        stories: manyStories(500),
        checks: manyChecks(300),
        problems: Array.from({ length: 200 }, (_, i) => `Problem ${i} ${'x'.repeat(300)}`),
      }),
    ],
    [
      'huge fields everywhere',
      approvalContent({
        repo: { owner: 'o'.repeat(500), repo: 'r'.repeat(500) },
        environment: 'e'.repeat(1000),
        requestedBy: 'b'.repeat(1000),
        stories: manyStories(500).map((s) => ({
          ...s,
          key: 'K'.repeat(200),
          summary: '&'.repeat(5000),
          postDeployChecks: Array.from({ length: 50 }, () => '<'.repeat(2000)),
        })),
        checks: manyChecks(300).map((c) => ({ ...c, name: '"'.repeat(3000), state: '\\'.repeat(500) })),
        approvers: Array.from({ length: 100 }, (_, i) => `U${String(i).padStart(8, '0')}`),
      }),
    ],
  ])('%s: every Slack limit holds, requested and decided', (_name, content: ApprovalRequestContent) => {
    const request = buildApprovalRequest(content);
    expectWithinLimits(request);
    expect(actionButtons(request).map((b) => b.value)).toEqual(['4242', '4242']);
    expectWithinLimits(buildDecidedApprovalRequest(content, { ...decided, state: 'rejected', reason: 'r'.repeat(10_000) }));
  });

  it('shows no story section for an empty deploy', () => {
    expect(texts(buildApprovalRequest(approvalContent({ stories: [] })))).toContain('No stories in this deploy.');
  });

  it('collapses 500 stories into "…and N more", high-risk ones listed first, with the report link', () => {
    const message = buildApprovalRequest(approvalContent({ stories: manyStories(500) }));
    const text = texts(message);
    const more = /…and \*(\d+) more stories\* \(:warning: (\d+) of them high-risk\) — <([^|]+)\|see the full report>\./.exec(text);
    expect(more).not.toBeNull();
    const listed = (text.match(/^• /gm) ?? []).length;
    const hidden = Number(more?.[1]);
    expect(hidden).toBeGreaterThan(0);
    // Bullets also list the problem and the three checks.
    expect(listed - 1 - 3 + hidden).toBe(500);
    expect(more?.[3]).toBe(REPORT_URL);
    // 500 / 7 rounded up = 72 high-risk stories; the first listed story is high-risk.
    expect(text).toMatch(/\*High-risk stories \(72\)\*\n• :warning: \*HIGH RISK\* <https:\/\/jira\.example\.com\/browse\/SHOP-1\|\*SHOP-1\*>/);
  });

  it('collapses 300 checks into "…and N more" after the failing and pending ones', () => {
    const text = texts(buildApprovalRequest(approvalContent({ checks: manyChecks(300) })));
    expect(text).toContain('*Statuses and checks (300):*');
    const more = /• _…and (\d+) more — <[^|]+\|see the report>_/.exec(text);
    expect(more).not.toBeNull();
    const checkLines = (text.match(/^• :[a-z_]+: <https:\/\/ci\.example\.com\/jobs\//gm) ?? []).length;
    expect(checkLines + Number(more?.[1])).toBe(300);
    // 109 of the 300 fail: the lines that fit are all failing ones.
    expect(text).toContain(':x: 109 failing · :hourglass_flowing_sand: 82 pending · 81 other · :white_check_mark: 28 passing');
    const states = [...text.matchAll(/^• :[a-z_]+: <https:\/\/ci\.example\.com\/jobs\/\d+\|[^>]+> — _([a-z_]+)_$/gm)].map((m) => m[1]);
    expect(states.length).toBe(checkLines);
    expect(new Set(states)).toEqual(new Set(['failure', 'error', 'timed_out', 'action_required']));
  });
});

describe('buildApprovalRequest: hostile text', () => {
  const hostile = '<!channel> @here <@U999> hi & <https://evil.example|click> >_<';
  const content = approvalContent({
    requestedBy: '<!everyone>',
    environment: 'prod <!here>',
    stories: [story('SHOP-1', { summary: hostile, highRisk: true, postDeployChecks: [hostile] })],
    problems: [hostile],
    checks: [{ name: hostile, state: '<!channel>', url: 'javascript:alert(1)' }],
  });

  it.each([
    ['request', buildApprovalRequest(content)],
    ['decided', buildDecidedApprovalRequest(content, { ...decided, state: 'rejected', by: '<!channel>', reason: hostile })],
  ])('%s: JIRA text, check names, states, reasons and names are escaped; no broadcast or mention survives', (_name, message) => {
    const all = `${texts(message)}\n${message.text}\n${JSON.stringify(message.blocks)}`;
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<!here>');
    expect(all).not.toContain('<!everyone>');
    expect(all).not.toContain('<@U999>');
    expect(all).not.toContain('<https://evil.example');
    expect(all).not.toContain('javascript:');
    expect(all).not.toMatch(/(^|[^\u200B])@here/);
    expect(texts(message)).toContain('&lt;!channel&gt; @\u200Bhere &lt;@U999&gt; hi &amp; &lt;https://evil.example|click&gt; &gt;_&lt;');
    expectWithinLimits(message);
  });
});

describe('buildDecidedApprovalRequest', () => {
  it.each([
    [
      'approved',
      { ...decided },
      ':white_check_mark: *Approved* by <@U0ONCALL1> at 2026-12-02 01:30 UTC',
      ':white_check_mark: Deploy approved: acme/shop to production',
    ],
    [
      'rejected with a reason',
      { ...decided, state: 'rejected' as const, by: 'W0ONCALL2', reason: 'CI is red' },
      ':no_entry: *Rejected* by <@W0ONCALL2> at 2026-12-02 01:30 UTC — CI is red',
      ':no_entry: Deploy rejected: acme/shop to production',
    ],
    [
      'decided by a name',
      { ...decided, by: 'Ada Lovelace' },
      ':white_check_mark: *Approved* by *Ada Lovelace* at 2026-12-02 01:30 UTC',
      ':white_check_mark: Deploy approved: acme/shop to production',
    ],
  ])('%s: no buttons, who decided and when', (_name, outcome, line, headerText) => {
    const message = buildDecidedApprovalRequest(approvalContent(), outcome);
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(actionButtons(message)).toEqual([]);
    expect(texts(message)).toContain(`${line} · <${REPORT_URL}|View report>`);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: headerText } });
    expect(texts(message)).toContain(':warning: *HIGH RISK*');
    expectWithinLimits(message);
  });
});
