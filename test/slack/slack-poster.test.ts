import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { buildDeployAnnouncement } from '../../src/core/slack-announcement/build-deploy-announcement.js';
import { createSlackPoster } from '../../src/slack/slack-poster.js';
import type { AnnouncementMessageKey } from '../../src/slack/slack-poster.js';
import { FROM_SHA, TO_SHA, typicalDeploy } from './deploy-announcement-fixtures.js';
import { captureLogger, expectNockDone, SLACK_API_URL, SLACK_ORIGIN, SLACK_TOKEN, slackForm, useStrictNock } from './slack-test-support.js';

const nockState = useStrictNock();
const key: AnnouncementMessageKey = { announcementId: 7, repo: 'acme/shop', fromSha: FROM_SHA, toSha: TO_SHA };
const message = buildDeployAnnouncement(typicalDeploy());

function poster() {
  const log = captureLogger();
  return { log, poster: createSlackPoster({ token: SLACK_TOKEN, apiUrl: SLACK_API_URL, logger: log.logger, timeoutMs: 2000 }) };
}

describe('createSlackPoster: postMessage', () => {
  it('posts the blocks, the fallback text and the metadata, without unfurls, with the bot token', async () => {
    let form: Record<string, unknown> = {};
    nock(SLACK_ORIGIN, { reqheaders: { authorization: `Bearer ${SLACK_TOKEN}` } })
      .post('/api/chat.postMessage', (body) => {
        form = slackForm(body);
        return true;
      })
      .reply(200, { ok: true, channel: 'C0DEPLOYS', ts: '1714658700.000100' });
    const { poster: p } = poster();
    const res = await p.postMessage('#deploys', message, key);
    expect(res).toEqual({ ok: true, ts: '1714658700.000100', channelId: 'C0DEPLOYS' });
    expect(form['channel']).toBe('#deploys');
    expect(form['text']).toBe(message.text);
    expect(form['blocks']).toEqual(message.blocks);
    expect(form['unfurl_links']).toBe('false');
    expect(form['unfurl_media']).toBe('false');
    expect(form['link_names']).toBe('false');
    expect(form['metadata']).toEqual({
      event_type: 'deploy_checker_announcement',
      event_payload: { announcement_id: '7', repo: 'acme/shop', from_sha: FROM_SHA, to_sha: TO_SHA },
    });
    expectNockDone(nockState);
  });

  it.each([
    ['channel_not_found', 'permanent'],
    ['not_in_channel', 'permanent'],
    ['invalid_auth', 'permanent'],
    ['token_revoked', 'permanent'],
    ['internal_error', 'transient'],
  ])('classifies Slack error %s as %s, without retrying on its own', async (code, kind) => {
    nock(SLACK_ORIGIN).post('/api/chat.postMessage').once().reply(200, { ok: false, error: code });
    const { poster: p, log } = poster();
    expect(await p.postMessage('#deploys', message, key)).toEqual({ ok: false, kind, error: `Slack error ${code}`, deliveryUnknown: false });
    expect(log.raw()).not.toContain(SLACK_TOKEN);
    expectNockDone(nockState);
  });

  it('reports a 429 with its Retry-After at once (the WebClient does not sleep or retry)', async () => {
    nock(SLACK_ORIGIN).post('/api/chat.postMessage').once().reply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '7' });
    const { poster: p } = poster();
    expect(await p.postMessage('#deploys', message, key)).toEqual({
      ok: false,
      kind: 'rate_limited',
      error: 'Slack rate limit (retry after 7 s)',
      retryAfterMs: 7000,
      deliveryUnknown: false,
    });
    expectNockDone(nockState);
  });

  it('treats an HTTP 503 as transient with unknown delivery', async () => {
    nock(SLACK_ORIGIN).post('/api/chat.postMessage').once().reply(503, 'upstream down');
    const { poster: p } = poster();
    expect(await p.postMessage('#deploys', message, key)).toEqual({ ok: false, kind: 'transient', error: 'Slack HTTP 503', deliveryUnknown: true });
    expectNockDone(nockState);
  });

  it('treats a connection failure as transient with unknown delivery, and never logs the token', async () => {
    nock(SLACK_ORIGIN).post('/api/chat.postMessage').once().replyWithError('socket hang up');
    const { poster: p, log } = poster();
    const res = await p.postMessage('#deploys', message, key);
    expect(res).toMatchObject({ ok: false, kind: 'transient', deliveryUnknown: true });
    expect(res.ok === false && res.error).toMatch(/^Slack request failed: /);
    expect(log.raw()).not.toContain(SLACK_TOKEN);
    expect(log.lines().some((l) => l['msg'] === 'Slack post failed')).toBe(true);
    expectNockDone(nockState);
  });
});

describe('createSlackPoster: findPostedMessage', () => {
  const ours = {
    ts: '1714658701.000200',
    metadata: { event_type: 'deploy_checker_announcement', event_payload: { announcement_id: '7', repo: 'acme/shop', to_sha: TO_SHA } },
  };
  const other = {
    ts: '1714658702.000300',
    metadata: { event_type: 'deploy_checker_announcement', event_payload: { announcement_id: '6', repo: 'acme/shop', to_sha: FROM_SHA } },
  };
  const since = new Date('2024-05-02T14:05:00.000Z');

  it('finds our message by its metadata, following the cursor', async () => {
    const forms: Record<string, unknown>[] = [];
    nock(SLACK_ORIGIN)
      .post('/api/conversations.history', (b) => (forms.push(slackForm(b)), true))
      .reply(200, { ok: true, messages: [other, { ts: '1.0' }], has_more: true, response_metadata: { next_cursor: 'page2' } })
      .post('/api/conversations.history', (b) => (forms.push(slackForm(b)), true))
      .reply(200, { ok: true, messages: [ours], has_more: false });
    const { poster: p } = poster();
    expect(await p.findPostedMessage('C0DEPLOYS', key, since)).toEqual({ status: 'found', ts: ours.ts });
    expect(forms[0]).toMatchObject({ channel: 'C0DEPLOYS', include_all_metadata: 'true', oldest: '1714658400.000000' });
    expect(forms[1]).toMatchObject({ cursor: 'page2' });
    expectNockDone(nockState);
  });

  it('says not-found when no message carries the key', async () => {
    nock(SLACK_ORIGIN)
      .post('/api/conversations.history')
      .reply(200, { ok: true, messages: [other], has_more: false });
    const { poster: p } = poster();
    expect(await p.findPostedMessage('C0DEPLOYS', key, since)).toEqual({ status: 'not-found' });
    expectNockDone(nockState);
  });

  it('says unknown when it cannot look (a channel name, a missing scope)', async () => {
    nock(SLACK_ORIGIN).post('/api/conversations.history').reply(200, { ok: false, error: 'channel_not_found' });
    const { poster: p } = poster();
    expect(await p.findPostedMessage('#deploys', key, since)).toEqual({ status: 'unknown', error: 'Slack error channel_not_found' });
    expectNockDone(nockState);
  });
});
