import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';
import type { NewProtectionReview } from '../../src/store/protection-review-store.js';
import { postgresBackend, sqliteBackend } from './store-test-backends.js';

const logger = pino({ level: 'silent' });
const repo = { owner: 'acme', repo: 'shop' };
const SHA = 'a'.repeat(40);
const T0 = new Date('2026-12-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const request = (overrides: Partial<NewProtectionReview> = {}): NewProtectionReview => ({
  repo,
  runId: 9_000_000_001,
  environment: 'production',
  sha: SHA,
  ref: 'main',
  installationId: 77,
  requestedBy: 'octocat',
  requestedAt: T0,
  ...overrides,
});

describe.each([sqliteBackend, postgresBackend])('protection reviews on $name', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function store(): Promise<ReportStore> {
    const database = await backend.freshDatabase();
    const opened = await createReportStore({ databaseUrl: database.url, logger });
    cleanups.push(async () => {
      await opened.close();
      await database.dispose();
    });
    return opened;
  }

  it('records a request once per (repository, run, environment); a repeat returns the same record', async () => {
    const s = await store();
    const first = await s.createProtectionReview(request());
    const again = await s.createProtectionReview(request({ requestedAt: at(1) }));
    const otherEnvironment = await s.createProtectionReview(request({ environment: 'staging' }));
    expect(first.created).toBe(true);
    expect(again).toEqual({ created: false, review: first.review });
    expect(otherEnvironment.created).toBe(true);
    expect(first.review).toMatchObject({
      repo,
      runId: 9_000_000_001,
      environment: 'production',
      sha: SHA,
      installationId: 77,
      requestedBy: 'octocat',
      requestedAt: T0.toISOString(),
      state: 'waiting',
      approvers: [],
      decidedBy: null,
      deliveredAt: null,
      slackMessage: null,
    });
    expect((await s.listWaitingProtectionReviews()).map((r) => r.environment)).toEqual(['production', 'staging']);
  });

  it('applies only the first decision; a second (double click, second worker) gets null and changes nothing', async () => {
    const s = await store();
    const { review } = await s.createProtectionReview(request());
    const decisions = await Promise.all([
      s.decideProtectionReview(review.id, { state: 'approved', decidedBy: 'U123', at: at(2), comment: 'ok', reportId: null }),
      s.decideProtectionReview(review.id, { state: 'rejected', decidedBy: 'U456', at: at(2), comment: 'no', reportId: null }),
    ]);
    const applied = decisions.filter((d) => d !== null);
    expect(applied).toHaveLength(1);
    const stored = await s.getProtectionReview(review.id);
    expect(stored).toEqual(applied[0]);
    expect(stored?.decidedAt).toBe(at(2).toISOString());
    expect(await s.listWaitingProtectionReviews()).toEqual([]);
  });

  it('keeps a decided answer undelivered until GitHub accepts it, retrying at the recorded time', async () => {
    const s = await store();
    const { review } = await s.createProtectionReview(request());
    await s.recordProtectionWait(review.id, { reason: 'error', detail: 'JIRA down', reportId: 5, approvers: ['S0REL'] }, at(1));
    expect(await s.getProtectionReview(review.id)).toMatchObject({ waitReason: 'error', waitDetail: 'JIRA down', reportId: 5, approvers: ['S0REL'] });
    expect(await s.listUndeliveredProtectionReviews(at(1))).toEqual([]);

    await s.decideProtectionReview(review.id, { state: 'rejected', decidedBy: 'deploy-checker', at: at(2), comment: 'Rejected: x', reportId: 6 });
    expect((await s.listUndeliveredProtectionReviews(at(2))).map((r) => [r.id, r.reportId, r.comment])).toEqual([[review.id, 6, 'Rejected: x']]);

    await s.markProtectionDeliveryFailed(review.id, 'HTTP 502', at(3), at(2));
    expect(await s.listUndeliveredProtectionReviews(at(2))).toEqual([]);
    const due = await s.listUndeliveredProtectionReviews(at(3));
    expect(due.map((r) => [r.deliveryAttempts, r.lastError])).toEqual([[1, 'HTTP 502']]);

    await s.markProtectionReviewDelivered(review.id, at(4));
    expect(await s.listUndeliveredProtectionReviews(at(10))).toEqual([]);
    expect((await s.getProtectionReview(review.id))?.deliveredAt).toBe(at(4).toISOString());
    // A wait recorded after the decision is ignored.
    await s.recordProtectionWait(review.id, { reason: 'problems', detail: 'late', reportId: 9, approvers: [] }, at(5));
    expect(await s.getProtectionReview(review.id)).toMatchObject({ state: 'rejected', waitReason: 'error', reportId: 6 });
  });

  it('lists the reviews of a SHA newest first, with their Slack message', async () => {
    const s = await store();
    const a = await s.createProtectionReview(request());
    const b = await s.createProtectionReview(request({ runId: 2, environment: 'staging' }));
    await s.createProtectionReview(request({ runId: 3, sha: 'b'.repeat(40) }));
    await s.recordProtectionSlackMessage(b.review.id, { channel: 'C1', ts: '1700000000.000100' }, at(1));
    const reviews = await s.listProtectionReviewsForSha(repo, SHA);
    expect(reviews.map((r) => [r.id, r.slackMessage])).toEqual([
      [b.review.id, { channel: 'C1', ts: '1700000000.000100' }],
      [a.review.id, null],
    ]);
    expect(await s.getProtectionReview(999_999)).toBeNull();
  });
});
