import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { buildApprovalRequest, buildDecidedApprovalRequest } from '../../src/core/slack-approval/build-approval-request.js';
import { createApprovalRequestPoster, createApprovalSlackClient } from '../../src/slack/approval-request-poster.js';
import { approvalContent } from './approval-request-fixtures.js';
import { captureLogger, expectNockDone, SLACK_API_URL, SLACK_ORIGIN, SLACK_TOKEN, slackForm, useStrictNock } from './slack-test-support.js';

const nockState = useStrictNock();
const content = approvalContent();
const outcome = { state: 'rejected', by: 'U0ONCALL1', at: '2026-12-02T01:40:00.000Z', reason: 'CI is red' } as const;

function options() {
  const log = captureLogger();
  return { log, options: { token: SLACK_TOKEN, apiUrl: SLACK_API_URL, logger: log.logger, timeoutMs: 2000 } };
}

describe('createApprovalRequestPoster', () => {
  it('posts the request, then updates it in place (same channel and ts) with the decided variant', async () => {
    const forms: Record<string, unknown>[] = [];
    const record = (body: unknown) => {
      forms.push(slackForm(body));
      return true;
    };
    nock(SLACK_ORIGIN, { reqheaders: { authorization: `Bearer ${SLACK_TOKEN}` } })
      .post('/api/chat.postMessage', record)
      .reply(200, { ok: true, channel: 'C0DEPLOYS', ts: '1764639000.000200' })
      .post('/api/chat.update', record)
      .reply(200, { ok: true, channel: 'C0DEPLOYS', ts: '1764639000.000200' });
    const { options: o } = options();
    const poster = createApprovalRequestPoster(o);

    const where = await poster.post('#deploys', content);
    expect(where).toEqual({ channel: 'C0DEPLOYS', ts: '1764639000.000200' });
    await poster.update(where, content, outcome);

    const [posted, updated] = forms;
    expect(posted).toMatchObject({ channel: '#deploys', unfurl_links: 'false', unfurl_media: 'false', link_names: 'false' });
    expect(posted?.['text']).toBe(buildApprovalRequest(content).text);
    expect(posted?.['blocks']).toEqual(buildApprovalRequest(content).blocks);
    expect(updated).toMatchObject({ channel: 'C0DEPLOYS', ts: '1764639000.000200' });
    expect(updated?.['blocks']).toEqual(buildDecidedApprovalRequest(content, outcome).blocks);
    expect(updated?.['text']).toBe(buildDecidedApprovalRequest(content, outcome).text);
    expect(JSON.stringify(updated?.['blocks'])).not.toContain('deploy_approval_approve');
    expectNockDone(nockState);
  });

  it.each([
    [
      'a Slack error',
      () => nock(SLACK_ORIGIN).post('/api/chat.postMessage').reply(200, { ok: false, error: 'channel_not_found' }),
      'Slack error channel_not_found',
    ],
    ['an HTTP 500', () => nock(SLACK_ORIGIN).post('/api/chat.postMessage').reply(500, 'down'), 'Slack HTTP 500'],
    ['an answer without ts', () => nock(SLACK_ORIGIN).post('/api/chat.postMessage').reply(200, { ok: true }), 'without a channel and ts'],
  ])('post throws on %s, naming the reason and never the token', async (_name, mock, reason) => {
    mock();
    const { options: o, log } = options();
    const error = await createApprovalRequestPoster(o)
      .post('#deploys', content)
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toContain(reason);
    expect(`${error?.message}${log.raw()}`).not.toContain(SLACK_TOKEN);
    expectNockDone(nockState);
  });

  it('update throws when Slack refuses the edit', async () => {
    nock(SLACK_ORIGIN).post('/api/chat.update').reply(200, { ok: false, error: 'message_not_found' });
    const { options: o } = options();
    await expect(createApprovalRequestPoster(o).update({ channel: 'C0DEPLOYS', ts: '1.2' }, content, outcome)).rejects.toThrow(
      'Slack approval request not updated: Slack error message_not_found',
    );
    expectNockDone(nockState);
  });
});

describe('createApprovalSlackClient', () => {
  it('reads user group members and posts ephemeral notes to one user', async () => {
    let ephemeral: Record<string, unknown> = {};
    nock(SLACK_ORIGIN)
      .post('/api/usergroups.users.list', (body) => slackForm(body)['usergroup'] === 'S0RELEASE')
      .reply(200, { ok: true, users: ['U1', 'U2'] })
      .post('/api/chat.postEphemeral', (body) => {
        ephemeral = slackForm(body);
        return true;
      })
      .reply(200, { ok: true, message_ts: '1.1' });
    const { options: o } = options();
    const client = createApprovalSlackClient(o);
    expect(await client.userGroupMembers('S0RELEASE')).toEqual(['U1', 'U2']);
    await client.postEphemeral('C0DEPLOYS', 'U9', 'Not allowed');
    expect(ephemeral).toMatchObject({ channel: 'C0DEPLOYS', user: 'U9', text: 'Not allowed' });
    expectNockDone(nockState);
  });

  it('throws when the user group cannot be read', async () => {
    nock(SLACK_ORIGIN).post('/api/usergroups.users.list').reply(200, { ok: false, error: 'missing_scope' });
    const { options: o } = options();
    await expect(createApprovalSlackClient(o).userGroupMembers('S0RELEASE')).rejects.toThrow('Slack error missing_scope');
    expectNockDone(nockState);
  });
});
