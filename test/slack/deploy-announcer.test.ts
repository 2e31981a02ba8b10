import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { describeAnnouncementState } from '../../src/core/slack-announcement/announcement-retry-policy.js';
import { buildDeployAnnouncement } from '../../src/core/slack-announcement/build-deploy-announcement.js';
import type { AnnouncedStory, DeployAnnouncementInput } from '../../src/core/slack-announcement/deploy-announcement-input.js';
import type { JiraWriter } from '../../src/core/slack-announcement/jira-writer.js';
import { measureSlackMessage, SLACK_MESSAGE_LIMITS } from '../../src/core/slack-announcement/slack-blocks.js';
import type { AnnouncementContent, DeployAnnouncementRequest } from '../../src/slack/deploy-announcer.js';
import { createDeployAnnouncer } from '../../src/slack/deploy-announcer.js';
import { resolveDeployRange } from '../../src/slack/resolve-deploy-range.js';
import { createSlackPoster } from '../../src/slack/slack-poster.js';
import type { AnnouncementRecord } from '../../src/store/report-store.js';
import { announcementInput, doc, FROM_SHA, story, TO_SHA, typicalDeploy } from './deploy-announcement-fixtures.js';
import { pino } from 'pino';
import { createJiraTransport } from '../../src/jira/jira-transport.js';
import { createJiraWriter } from '../../src/jira/jira-writer.js';

/** The app's real writer, over Data Center's REST v2 with a PAT. */
const createFetchJiraWriter = (baseUrl: string) =>
  createJiraWriter(createJiraTransport({ baseUrl, auth: { kind: 'datacenter', pat: 'jira-test-token' }, logger: pino({ level: 'silent' }), maxAttempts: 1 }));
import { createInMemoryAnnouncementStore } from './in-memory-announcement-store.js';
import type { InMemoryAnnouncementStore } from './in-memory-announcement-store.js';
import { captureLogger, expectNockDone, manualClock, SLACK_API_URL, SLACK_ORIGIN, SLACK_TOKEN, slackForm, useStrictNock } from './slack-test-support.js';
import type { ManualClock } from './slack-test-support.js';

const nockState = useStrictNock();
const JIRA_URL = 'http://jira.test';
const CHANNEL = 'C0DEPLOYS';
const NO_WRITE_BACK = { comment: false, transition: null };
const LEASE_MS = 120_000;
const BACKOFF = { initialDelayMs: 30_000, maxDelayMs: 30 * 60_000, permanentErrorDelayMs: 6 * 3_600_000 };

interface Harness {
  readonly clock: ManualClock;
  readonly store: InMemoryAnnouncementStore;
  readonly sleeps: number[];
  readonly loaded: AnnouncementRecord[];
  /** What the loader rebuilds, by toSha (stands for GitHub + JIRA). */
  readonly truth: Map<string, AnnouncementContent>;
  readonly log: ReturnType<typeof captureLogger>;
  /** A new announcer instance (a replica, or the process after a restart) over the same store. */
  replica(options?: { jiraWriter?: JiraWriter | null }): ReturnType<typeof createDeployAnnouncer>;
}

function harness(): Harness {
  const clock = manualClock();
  const store = createInMemoryAnnouncementStore(clock);
  const sleeps: number[] = [];
  const loaded: AnnouncementRecord[] = [];
  const truth = new Map<string, AnnouncementContent>();
  const log = captureLogger();
  return {
    clock,
    store,
    sleeps,
    loaded,
    truth,
    log,
    replica: (options = {}) =>
      createDeployAnnouncer({
        store,
        slack: createSlackPoster({ token: SLACK_TOKEN, apiUrl: SLACK_API_URL, logger: log.logger, timeoutMs: 2000 }),
        jiraWriter: options.jiraWriter ?? null,
        clock,
        logger: log.logger,
        leaseMs: LEASE_MS,
        backoff: BACKOFF,
        loadAnnouncementContent: async (record) => {
          loaded.push(record);
          const content = truth.get(record.toSha);
          if (!content) throw new Error(`GitHub compare failed for ${record.toSha}`);
          return content;
        },
        sleep: async (ms) => {
          sleeps.push(ms);
          clock.advance(ms);
        },
      }),
  };
}

function request(content: DeployAnnouncementInput, onDeploy: AnnouncementContent['onDeploy'] = NO_WRITE_BACK): DeployAnnouncementRequest {
  return { channel: CHANNEL, content, onDeploy };
}

/** Expects chat.postMessage `times` times; collects the decoded forms. */
function expectSlackPosts(times: number, ts = (i: number) => `1714658700.00010${i}`): Record<string, unknown>[] {
  const forms: Record<string, unknown>[] = [];
  for (let i = 0; i < times; i += 1) {
    nock(SLACK_ORIGIN)
      .post('/api/chat.postMessage', (body) => (forms.push(slackForm(body)), true))
      .reply(200, { ok: true, channel: CHANNEL, ts: ts(i) });
  }
  return forms;
}

function expectHistory(messages: unknown[]): Record<string, unknown>[] {
  const forms: Record<string, unknown>[] = [];
  nock(SLACK_ORIGIN)
    .post('/api/conversations.history', (body) => (forms.push(slackForm(body)), true))
    .reply(200, { ok: true, messages, has_more: false });
  return forms;
}

describe('createDeployAnnouncer: announce', () => {
  it('posts a typical deploy once and records it', async () => {
    const h = harness();
    const forms = expectSlackPosts(1);
    const content = typicalDeploy();
    const res = await h.replica().announce(request(content));
    expect(res).toEqual({
      outcome: 'posted',
      announcementId: 1,
      messageTs: '1714658700.000100',
      error: null,
      nextAttemptAt: null,
      permanent: false,
      recovered: false,
      writeBackNotes: [],
    });
    expect(forms).toHaveLength(1);
    const posted = forms[0]!;
    expect(posted['channel']).toBe(CHANNEL);
    expect(posted['blocks']).toEqual(buildDeployAnnouncement(content).blocks);
    expect(posted['text']).toMatchInlineSnapshot(
      `"acme/shop deployed 2222222 by octocat: 4 stories, 1 high-risk (SHOP-102). Report: https://deploy-checker.example.com/repos/acme/shop/reports/2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"`,
    );
    const blocks = posted['blocks'] as { type: string; text?: { text: string } }[];
    // High-risk story first: the first section after the divider is the high-risk one.
    expect(blocks[4]?.text?.text).toMatch(/^:warning: \*High-risk stories \(1\)\*\n• <[^|]+\|\*SHOP-102\*>/);
    expect(h.store.get(1)).toMatchObject({
      state: 'posted',
      messageTs: '1714658700.000100',
      fromSha: FROM_SHA,
      toSha: TO_SHA,
      channel: CHANNEL,
      rollback: false,
      ticketKeys: ['SHOP-101', 'SHOP-102', 'SHOP-7', 'SHOP-103'],
    });
    expect(describeAnnouncementState(h.store.get(1))).toBe(`deploy announced in ${CHANNEL}`);
    expectNockDone(nockState);
  });

  it('posts a 500-story deploy as one message Slack accepts', async () => {
    const h = harness();
    const forms = expectSlackPosts(1);
    const stories: AnnouncedStory[] = Array.from({ length: 500 }, (_, i) =>
      story(`BIG-${i + 1}`, { summary: `Change ${i + 1} <!here> & more`, postDeployChecks: doc(`check ${i + 1}`), riskLevel: i === 499 ? 'High' : null }),
    );
    const res = await h.replica().announce(request(announcementInput({ stories, commitCount: 900 })));
    expect(res.outcome).toBe('posted');
    const blocks = forms[0]!['blocks'] as never[];
    const measures = measureSlackMessage({ text: String(forms[0]!['text']), blocks });
    expect(measures.blockCount).toBeLessThanOrEqual(SLACK_MESSAGE_LIMITS.maxBlocks);
    expect(measures.longestSectionText).toBeLessThanOrEqual(SLACK_MESSAGE_LIMITS.maxSectionTextLength);
    expect(measures.blocksJsonLength).toBeLessThanOrEqual(SLACK_MESSAGE_LIMITS.maxBlocksJsonLength);
    const json = JSON.stringify(blocks);
    expect(json).toContain('more stories*');
    expect(json).not.toContain('<!here>');
    // The one high-risk story, last in the input, is shown first.
    expect(json.indexOf('|*BIG-500*>')).toBeLessThan(json.indexOf('|*BIG-1*>'));
    expect(h.store.get(1).ticketKeys).toHaveLength(500);
    expectNockDone(nockState);
  });

  it('posts once for a redelivered webhook', async () => {
    const h = harness();
    expectSlackPosts(1);
    const announcer = h.replica();
    const first = await announcer.announce(request(typicalDeploy()));
    const again = await announcer.announce(request(typicalDeploy()));
    expect(first.outcome).toBe('posted');
    expect(again).toMatchObject({ outcome: 'already-posted', announcementId: 1, messageTs: '1714658700.000100' });
    expect(h.store.all()).toHaveLength(1);
    expectNockDone(nockState);
  });

  it('posts once for a push and a deployment_status of the same SHA arriving at once on two replicas', async () => {
    const h = harness();
    nock(SLACK_ORIGIN).post('/api/chat.postMessage').delay(30).reply(200, { ok: true, channel: CHANNEL, ts: '1714658700.000100' });
    const replicaA = h.replica();
    const replicaB = h.replica();
    // Both callers resolve the range the same way (nothing announced yet; the push's before).
    const [rangeA, rangeB] = await Promise.all([
      resolveDeployRange(h.store, { owner: 'acme', repo: 'shop' }, TO_SHA, FROM_SHA),
      resolveDeployRange(h.store, { owner: 'acme', repo: 'shop' }, TO_SHA, FROM_SHA),
    ]);
    expect(rangeA.fromSha).toBe(FROM_SHA);
    expect(rangeB.fromSha).toBe(FROM_SHA);
    const results = await Promise.all([
      replicaA.announce(request(typicalDeploy())),
      replicaB.announce(request(typicalDeploy({ deployedBy: 'deploy-bot' }))),
      replicaA.announce(request(typicalDeploy())),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['in-progress', 'in-progress', 'posted']);
    expect(h.store.all()).toHaveLength(1);
    expect(h.store.get(1).state).toBe('posted');
    expectNockDone(nockState);
  });

  it('announces a rollback with the stories it removes', async () => {
    const h = harness();
    const forms = expectSlackPosts(2);
    const announcer = h.replica();
    const repo = { owner: 'acme', repo: 'shop' };
    const B = 'b'.repeat(40);
    const C = 'c'.repeat(40);
    // Deploy B→C, then production goes back from C to B.
    const first = await resolveDeployRange(h.store, repo, C, B);
    await announcer.announce(request(announcementInput({ fromSha: first.fromSha!, toSha: C, stories: [story('SHOP-5'), story('SHOP-6')] })));
    const back = await resolveDeployRange(h.store, repo, B, C);
    expect(back.fromSha).toBe(C);
    const res = await announcer.announce(
      request(
        announcementInput({
          fromSha: back.fromSha!,
          toSha: B,
          rollback: true,
          deployedBy: 'oncall',
          stories: [story('SHOP-5', { summary: 'New checkout' }), story('SHOP-6')],
          commitCount: 4,
        }),
      ),
    );
    expect(res.outcome).toBe('posted');
    const blocks = forms[1]!['blocks'] as { type: string; text: { text: string } }[];
    expect(blocks[0]!.text.text).toBe(':rewind: Rollback of acme/shop to bbbbbbb by oncall · removes 2 stories');
    expect(blocks[2]!.text.text).toContain('moved *back* from `ccccccc` to `bbbbbbb`');
    expect(blocks[4]!.text.text).toMatch(/^\*Stories removed \(2\)\*\n• <[^|]+\|\*SHOP-5\*> New checkout/);
    expect(h.store.get(2)).toMatchObject({ rollback: true, fromSha: C, toSha: B, state: 'posted' });
    expectNockDone(nockState);
  });

  it('announces a return to a SHA announced before (A→B, B→C, C→B) as a deploy of its own', async () => {
    const h = harness();
    expectSlackPosts(3);
    const announcer = h.replica();
    const [A, B, C] = ['a', 'b', 'c'].map((x) => x.repeat(40)) as [string, string, string];
    await announcer.announce(request(announcementInput({ fromSha: A, toSha: B })));
    await announcer.announce(request(announcementInput({ fromSha: B, toSha: C })));
    const res = await announcer.announce(request(announcementInput({ fromSha: C, toSha: B, rollback: true })));
    expect(res.outcome).toBe('posted');
    expect(h.store.all().map((r) => [r.fromSha[0], r.toSha[0], r.rollback, r.state])).toEqual([
      ['a', 'b', false, 'posted'],
      ['b', 'c', false, 'posted'],
      ['c', 'b', true, 'posted'],
    ]);
    expectNockDone(nockState);
  });

  it('a second signal for a recorded deploy maps onto its range and posts the recorded content once', async () => {
    const h = harness();
    const forms = expectSlackPosts(1);
    const recorded = typicalDeploy();
    // The push recorded the deploy and its process died before posting.
    await h.store.createAnnouncement({ repo: recorded.repo, fromSha: FROM_SHA, toSha: TO_SHA, channel: CHANNEL, rollback: false, ticketKeys: ['SHOP-101'] });
    h.truth.set(TO_SHA, { content: recorded, onDeploy: NO_WRITE_BACK });
    // A deployment_status for the same SHA (its own "before" would differ) resolves the range from the store.
    const range = await resolveDeployRange(h.store, recorded.repo, TO_SHA, 'f'.repeat(40));
    expect(range.fromSha).toBe(FROM_SHA);
    const secondSignal = typicalDeploy({ fromSha: range.fromSha! });
    const res = await h.replica().announce(request(secondSignal));
    expect(res.outcome).toBe('posted');
    expect(h.store.all()).toHaveLength(1);
    expect(forms[0]!['blocks']).toEqual(buildDeployAnnouncement(recorded).blocks);
    expectNockDone(nockState);
  });
});

describe('createDeployAnnouncer: crashes and resumeDue', () => {
  it('posts exactly once after a crash between recording and posting', async () => {
    const h = harness();
    const content = typicalDeploy();
    // Process 1 records the deploy and dies before claiming it.
    await h.store.createAnnouncement({
      repo: content.repo,
      fromSha: FROM_SHA,
      toSha: TO_SHA,
      channel: CHANNEL,
      rollback: false,
      ticketKeys: ['SHOP-101', 'SHOP-102'],
    });
    h.truth.set(TO_SHA, { content, onDeploy: NO_WRITE_BACK });
    // Process 2 starts and resumes.
    const forms = expectSlackPosts(1);
    const restarted = h.replica();
    const results = await restarted.resumeDue();
    expect(results.map((r) => r.outcome)).toEqual(['posted']);
    expect(h.loaded.map((r) => r.toSha)).toEqual([TO_SHA]);
    expect(forms[0]!['blocks']).toEqual(buildDeployAnnouncement(content).blocks);
    expect(await restarted.resumeDue()).toEqual([]);
    h.clock.advance(24 * 3_600_000);
    expect(await restarted.resumeDue()).toEqual([]);
    expect(h.store.get(1).state).toBe('posted');
    expectNockDone(nockState);
  });

  it('waits for the lease of a worker that died after claiming, then checks Slack and posts once', async () => {
    const h = harness();
    const content = typicalDeploy();
    const { record } = await h.store.createAnnouncement({
      repo: content.repo,
      fromSha: FROM_SHA,
      toSha: TO_SHA,
      channel: CHANNEL,
      rollback: false,
      ticketKeys: [],
    });
    await h.store.claimAnnouncement(record.id, new Date(h.clock.now().getTime() + LEASE_MS), h.clock.now());
    h.truth.set(TO_SHA, { content, onDeploy: NO_WRITE_BACK });
    const restarted = h.replica();
    expect(await restarted.resumeDue()).toEqual([]);
    h.clock.advance(LEASE_MS);
    const history = expectHistory([{ ts: '1714658600.000001', text: 'something else' }]);
    expectSlackPosts(1);
    const results = await restarted.resumeDue();
    expect(results.map((r) => r.outcome)).toEqual(['posted']);
    expect(history[0]).toMatchObject({ channel: CHANNEL, include_all_metadata: 'true' });
    expect(h.store.get(1)).toMatchObject({ state: 'posted', attempts: 2 });
    expectNockDone(nockState);
  });

  it('does not post again when Slack has the message but the store never heard of it', async () => {
    const h = harness();
    const content = typicalDeploy();
    const { record } = await h.store.createAnnouncement({
      repo: content.repo,
      fromSha: FROM_SHA,
      toSha: TO_SHA,
      channel: CHANNEL,
      rollback: false,
      ticketKeys: [],
    });
    await h.store.claimAnnouncement(record.id, new Date(h.clock.now().getTime() + LEASE_MS), h.clock.now());
    h.truth.set(TO_SHA, { content, onDeploy: NO_WRITE_BACK });
    h.clock.advance(LEASE_MS + 1);
    expectHistory([
      {
        ts: '1714658705.000900',
        metadata: { event_type: 'deploy_checker_announcement', event_payload: { announcement_id: '1', repo: 'acme/shop', from_sha: FROM_SHA, to_sha: TO_SHA } },
      },
    ]);
    const results = await h.replica().resumeDue();
    expect(results).toMatchObject([{ outcome: 'posted', recovered: true, messageTs: '1714658705.000900' }]);
    expect(h.store.get(1)).toMatchObject({ state: 'posted', messageTs: '1714658705.000900' });
    expectNockDone(nockState);
  });

  it('keeps a deploy whose content cannot be rebuilt, and retries it with backoff', async () => {
    const h = harness();
    await h.store.createAnnouncement({
      repo: { owner: 'acme', repo: 'shop' },
      fromSha: FROM_SHA,
      toSha: TO_SHA,
      channel: CHANNEL,
      rollback: false,
      ticketKeys: [],
    });
    const announcer = h.replica();
    const [failed] = await announcer.resumeDue();
    expect(failed).toMatchObject({ outcome: 'failed', error: `could not rebuild the announcement: GitHub compare failed for ${TO_SHA}`, permanent: false });
    expect(h.store.get(1)).toMatchObject({ state: 'failed', nextAttemptAt: new Date(h.clock.now().getTime() + 30_000).toISOString() });
    h.truth.set(TO_SHA, { content: typicalDeploy(), onDeploy: NO_WRITE_BACK });
    h.clock.advance(29_999);
    expect(await announcer.resumeDue()).toEqual([]);
    h.clock.advance(1);
    expectSlackPosts(1);
    expect((await announcer.resumeDue()).map((r) => r.outcome)).toEqual(['posted']);
    expectNockDone(nockState);
  });
});

describe('createDeployAnnouncer: Slack failures', () => {
  it('waits for Retry-After after a 429 and then posts', async () => {
    const h = harness();
    nock(SLACK_ORIGIN).post('/api/chat.postMessage').reply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '3' });
    expectSlackPosts(1);
    const res = await h.replica().announce(request(typicalDeploy()));
    expect(res.outcome).toBe('posted');
    expect(h.sleeps).toEqual([3000]);
    expect(h.store.get(1)).toMatchObject({ state: 'posted', attempts: 1 });
    expectNockDone(nockState);
  });

  it('reschedules at Retry-After when it is too long to wait in line', async () => {
    const h = harness();
    nock(SLACK_ORIGIN).post('/api/chat.postMessage').reply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '120' });
    const announcer = h.replica();
    const res = await announcer.announce(request(typicalDeploy()));
    const due = new Date(h.clock.now().getTime() + 120_000).toISOString();
    expect(res).toMatchObject({ outcome: 'failed', error: 'Slack rate limit (retry after 120 s)', nextAttemptAt: due });
    expect(h.sleeps).toEqual([]);
    h.truth.set(TO_SHA, { content: typicalDeploy(), onDeploy: NO_WRITE_BACK });
    h.clock.advance(119_000);
    expect(await announcer.resumeDue()).toEqual([]);
    h.clock.advance(1000);
    expectSlackPosts(1);
    expect((await announcer.resumeDue()).map((r) => r.outcome)).toEqual(['posted']);
    expectNockDone(nockState);
  });

  it('records channel_not_found as not announced with a long retry, and skips redeliveries until then', async () => {
    const h = harness();
    nock(SLACK_ORIGIN).post('/api/chat.postMessage').reply(200, { ok: false, error: 'channel_not_found' });
    const announcer = h.replica();
    const res = await announcer.announce(request(typicalDeploy()));
    const next = new Date(h.clock.now().getTime() + BACKOFF.permanentErrorDelayMs).toISOString();
    expect(res).toMatchObject({ outcome: 'failed', permanent: true, error: 'Slack error channel_not_found', nextAttemptAt: next });
    expect(describeAnnouncementState(h.store.get(1))).toBe(`not announced: Slack error channel_not_found (next attempt ${next})`);
    expect(h.log.lines().some((l) => l['level'] === 50 && l['error'] === 'Slack error channel_not_found')).toBe(true);
    // A redelivery an hour later does not hammer Slack.
    h.clock.advance(3_600_000);
    expect(await announcer.announce(request(typicalDeploy()))).toMatchObject({ outcome: 'scheduled', error: 'Slack error channel_not_found' });
    expect(await announcer.resumeDue()).toEqual([]);
    // Someone invites the bot; at the retry time it is posted.
    h.truth.set(TO_SHA, { content: typicalDeploy(), onDeploy: NO_WRITE_BACK });
    h.clock.set(next);
    expectSlackPosts(1);
    expect((await announcer.resumeDue()).map((r) => r.outcome)).toEqual(['posted']);
    expectNockDone(nockState);
  });

  it('retries a revoked token with the long delay too, never dropping the deploy', async () => {
    const h = harness();
    nock(SLACK_ORIGIN).post('/api/chat.postMessage').reply(200, { ok: false, error: 'token_revoked' });
    const res = await h.replica().announce(request(typicalDeploy()));
    expect(res).toMatchObject({ outcome: 'failed', permanent: true, error: 'Slack error token_revoked' });
    expect(h.store.get(1)).toMatchObject({ state: 'failed', lastError: 'Slack error token_revoked' });
    expect(h.log.raw()).not.toContain(SLACK_TOKEN);
    expectNockDone(nockState);
  });

  it('backs off exponentially while Slack is down, checking before reposting when delivery is unknown', async () => {
    const h = harness();
    h.truth.set(TO_SHA, { content: typicalDeploy(), onDeploy: NO_WRITE_BACK });
    const announcer = h.replica();
    nock(SLACK_ORIGIN).post('/api/chat.postMessage').reply(503, 'down');
    const first = await announcer.announce(request(typicalDeploy()));
    expect(first).toMatchObject({ outcome: 'failed', error: '(delivery unknown) Slack HTTP 503', permanent: false });
    expect(h.store.get(1).nextAttemptAt).toBe(new Date(h.clock.now().getTime() + 30_000).toISOString());

    h.clock.advance(30_000);
    expectHistory([]);
    nock(SLACK_ORIGIN).post('/api/chat.postMessage').replyWithError('connect ECONNREFUSED');
    const second = await announcer.resumeDue();
    expect(second).toMatchObject([{ outcome: 'failed', error: expect.stringMatching(/^\(delivery unknown\) Slack request failed: /) }]);
    expect(h.store.get(1).nextAttemptAt).toBe(new Date(h.clock.now().getTime() + 60_000).toISOString());

    h.clock.advance(60_000);
    expectHistory([]);
    expectSlackPosts(1);
    expect((await announcer.resumeDue()).map((r) => r.outcome)).toEqual(['posted']);
    expect(h.store.get(1)).toMatchObject({ state: 'posted', attempts: 3, lastError: null });
    expectNockDone(nockState);
  });
});

describe('createDeployAnnouncer: JIRA write-back', () => {
  const transitionsBody = (extra: object[] = []) => ({
    transitions: [{ id: '11', name: 'Reopen', to: { name: 'Open' } }, { id: '31', name: 'Release', to: { name: 'Released' } }, ...extra],
  });

  it('comments on and transitions each deployed ticket, noting what JIRA refused, and still announces', async () => {
    const h = harness();
    expectSlackPosts(1);
    const comments: Record<string, string> = {};
    const transitioned: Record<string, string> = {};
    const jira = nock(JIRA_URL);
    for (const key of ['OK-1', 'NOPE-2', 'BAD-3', 'DONE-4', 'CMT-5']) {
      jira
        .post(`/rest/api/2/issue/${key}/comment`, (b: { body: string }) => ((comments[key] = b.body), true))
        .reply(key === 'CMT-5' ? 403 : 201, key === 'CMT-5' ? { errorMessages: ['You do not have permission to comment'] } : { id: '1' });
    }
    jira.get('/rest/api/2/issue/OK-1/transitions').reply(200, transitionsBody());
    jira.post('/rest/api/2/issue/OK-1/transitions', (b: { transition: { id: string } }) => ((transitioned['OK-1'] = b.transition.id), true)).reply(204);
    jira.get('/rest/api/2/issue/NOPE-2/transitions').reply(200, { transitions: [{ id: '11', name: 'Reopen', to: { name: 'Open' } }] });
    jira.get('/rest/api/2/issue/BAD-3/transitions').reply(200, transitionsBody());
    jira.post('/rest/api/2/issue/BAD-3/transitions').reply(400, { errorMessages: [], errors: { resolution: 'Resolution is required' } });
    jira.get('/rest/api/2/issue/CMT-5/transitions').reply(200, transitionsBody());
    jira.post('/rest/api/2/issue/CMT-5/transitions').reply(204);

    const content = announcementInput({
      stories: [
        story('OK-1'),
        story('NOPE-2', { status: 'In Review' }),
        story('BAD-3'),
        story('DONE-4', { status: 'released' }),
        story('CMT-5'),
        { key: 'GONE-6', ticket: null, commitCount: 1 },
      ],
    });
    const res = await h.replica({ jiraWriter: createFetchJiraWriter(JIRA_URL) }).announce(request(content, { comment: true, transition: 'released' }));

    expect(res.outcome).toBe('posted');
    expect(h.store.get(1).state).toBe('posted');
    expect(Object.keys(comments).sort()).toEqual(['BAD-3', 'CMT-5', 'DONE-4', 'NOPE-2', 'OK-1']);
    expect(comments['OK-1']).toBe(
      `Deployed to production of acme/shop at 2024-05-02T14:03:27Z by octocat: commit ${TO_SHA}.\n\n` +
        `Deploy report: https://deploy-checker.example.com/repos/acme/shop/reports/${TO_SHA}\n\n` +
        `Changes: https://github.com/acme/shop/compare/${FROM_SHA}...${TO_SHA}`,
    );
    expect(transitioned).toEqual({ 'OK-1': '31' });
    expect(res.writeBackNotes).toEqual([
      { key: 'BAD-3', action: 'transition', message: 'transition "Release" refused: JIRA 400: Resolution is required' },
      { key: 'CMT-5', action: 'comment', message: 'comment failed: JIRA 403: You do not have permission to comment' },
      { key: 'NOPE-2', action: 'transition', message: 'no transition "released" from status "In Review" (available: Reopen → Open)' },
    ]);
    expectNockDone(nockState);
  });

  it('only comments on a rollback, never transitions', async () => {
    const h = harness();
    expectSlackPosts(1);
    let comment = '';
    nock(JIRA_URL)
      .post('/rest/api/2/issue/OK-1/comment', (b: { body: string }) => ((comment = b.body), true))
      .reply(201, {});
    const content = announcementInput({ rollback: true, stories: [story('OK-1')], reportUrl: null, compareUrl: null });
    const res = await h.replica({ jiraWriter: createFetchJiraWriter(JIRA_URL) }).announce(request(content, { comment: true, transition: 'Released' }));
    expect(res).toMatchObject({ outcome: 'posted', writeBackNotes: [] });
    expect(comment).toBe(`Rolled back: no longer in production of acme/shop since 2024-05-02T14:03:27Z by octocat (production moved back to ${TO_SHA}).`);
    expectNockDone(nockState);
  });

  it('does not write back when the announcement is not posted, nor twice for a redelivery', async () => {
    const h = harness();
    const writer = createFetchJiraWriter(JIRA_URL);
    nock(SLACK_ORIGIN).post('/api/chat.postMessage').reply(200, { ok: false, error: 'channel_not_found' });
    const announcer = h.replica({ jiraWriter: writer });
    const failed = await announcer.announce(request(announcementInput({ stories: [story('OK-1')] }), { comment: true, transition: null }));
    expect(failed.outcome).toBe('failed');
    expectNockDone(nockState);

    h.clock.advance(BACKOFF.permanentErrorDelayMs);
    h.truth.set(TO_SHA, { content: announcementInput({ stories: [story('OK-1')] }), onDeploy: { comment: true, transition: null } });
    expectSlackPosts(1);
    nock(JIRA_URL).post('/rest/api/2/issue/OK-1/comment').once().reply(201, {});
    expect((await announcer.resumeDue()).map((r) => r.outcome)).toEqual(['posted']);
    expect((await announcer.announce(request(announcementInput({ stories: [story('OK-1')] }), { comment: true, transition: null }))).outcome).toBe(
      'already-posted',
    );
    expectNockDone(nockState);
  });
});
