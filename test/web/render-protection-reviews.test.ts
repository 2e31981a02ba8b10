import { describe, expect, it } from 'vitest';
import type { ProtectionReview } from '../../src/store/protection-review-store.js';
import { renderProtectionReviews } from '../../src/web/render-protection-reviews.js';

const review = (over: Partial<ProtectionReview>): ProtectionReview => ({
  id: 1,
  repo: { owner: 'acme', repo: 'shop' },
  runId: 42,
  environment: 'production',
  sha: 'a'.repeat(40),
  ref: 'main',
  installationId: 7,
  requestedBy: 'octocat',
  requestedAt: '2026-12-01T10:00:00.000Z',
  state: 'waiting',
  waitReason: null,
  waitDetail: null,
  reportId: null,
  approvers: [],
  decidedBy: null,
  decidedAt: null,
  comment: null,
  deliveredAt: null,
  deliveryAttempts: 0,
  lastError: null,
  nextAttemptAt: null,
  slackMessage: null,
  ...over,
});

const text = (reviews: ProtectionReview[]) => renderProtectionReviews(reviews).html;

describe('renderProtectionReviews', () => {
  it('renders nothing for a SHA without reviews', () => {
    expect(text([])).toBe('');
  });

  it('shows each review: environment, answer, who asked, who decided and the comment', () => {
    const out = text([
      review({
        id: 2,
        environment: 'production',
        state: 'rejected',
        decidedBy: 'deploy-checker',
        decidedAt: '2026-12-01T10:01:00.000Z',
        deliveredAt: '2026-12-01T10:01:01.000Z',
        comment: 'Rejected: 1 problem: PROJ-1 is In Progress',
      }),
      review({ id: 1, environment: 'staging', state: 'waiting', waitReason: 'error', waitDetail: 'the deploy could not be checked: JIRA down' }),
      review({ id: 3, environment: 'qa', state: 'approved', decidedBy: 'ada (U0ADA)', decidedAt: '2026-12-01T11:00:00.000Z', comment: 'Approved in Slack' }),
    ]);
    expect(out).toContain('<h2 id="protection-reviews-title">Deployment protection</h2>');
    expect(out).toContain(
      '<td>production</td>\n  <td>Rejected</td>\n  <td>2026-12-01 10:00 UTC by octocat</td>\n  <td>deploy-checker, 2026-12-01 10:01 UTC</td>',
    );
    expect(out).toContain('Rejected: 1 problem: PROJ-1 is In Progress');
    expect(out).toContain('<td>Waiting — held: the deploy could not be checked</td>');
    expect(out).toContain('the deploy could not be checked: JIRA down');
    expect(out).toContain('<td>ada (U0ADA), 2026-12-01 11:00 UTC (not yet accepted by GitHub)</td>');
  });

  it('escapes everything that comes from GitHub, JIRA or Slack', () => {
    const out = text([
      review({
        environment: '<script>alert(1)</script>',
        requestedBy: '"><img src=x>',
        state: 'rejected',
        decidedBy: "<b>eve</b>'",
        decidedAt: '2026-12-01T10:01:00.000Z',
        comment: 'PROJ-1 <a href="javascript:x">is</a> & more',
      }),
    ]);
    expect(out).not.toMatch(/<script>|<img|<b>|<a href/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&quot;&gt;&lt;img src=x&gt;');
    expect(out).toContain('&lt;b&gt;eve&lt;/b&gt;&#39;');
    expect(out).toContain('PROJ-1 &lt;a href=&quot;javascript:x&quot;&gt;is&lt;/a&gt; &amp; more');
  });
});
