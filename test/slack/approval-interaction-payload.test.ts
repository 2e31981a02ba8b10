import { describe, expect, it } from 'vitest';
import { parseSlackInteraction } from '../../src/core/slack-approval/slack-interaction-payload.js';

function form(payload: unknown): string {
  return new URLSearchParams({ payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }).toString();
}

function click(overrides: Record<string, unknown> = {}, action: Record<string, unknown> = {}) {
  return {
    type: 'block_actions',
    user: { id: 'U0ONCALL1', username: 'ada', name: 'Ada' },
    actions: [{ action_id: 'deploy_approval_approve', value: '17', ...action }],
    container: { type: 'message', channel_id: 'C0DEPLOYS', message_ts: '1764639000.000200' },
    response_url: 'https://evil.example/hook',
    ...overrides,
  };
}

describe('parseSlackInteraction', () => {
  it.each([
    [
      'Approve',
      form(click()),
      { kind: 'decision', reviewId: 17, state: 'approved', userId: 'U0ONCALL1', userName: 'ada', channel: 'C0DEPLOYS', messageTs: '1764639000.000200' },
    ],
    [
      'Reject by an enterprise user, channel from `channel`, name only',
      form(click({ user: { id: 'W0ONCALL2', name: 'Grace' }, container: undefined, channel: { id: 'C0OTHER' } }, { action_id: 'deploy_approval_reject' })),
      { kind: 'decision', reviewId: 17, state: 'rejected', userId: 'W0ONCALL2', userName: 'Grace', channel: 'C0OTHER', messageTs: null },
    ],
    ['no channel at all', form(click({ container: undefined })), expect.objectContaining({ kind: 'decision', channel: null, messageTs: null })],
    ['another button', form(click({}, { action_id: 'view_report', value: undefined })), { kind: 'ignored', type: 'block_actions' }],
    ['a modal submission', form({ type: 'view_submission', user: { id: 'U1' } }), { kind: 'ignored', type: 'view_submission' }],
    ['a shortcut', form({ type: 'shortcut' }), { kind: 'ignored', type: 'shortcut' }],
    ['no payload field', 'foo=bar', { kind: 'invalid', reason: 'no payload field' }],
    ['an empty body', '', { kind: 'invalid', reason: 'no payload field' }],
    ['payload not JSON', 'payload=%7B%7B', { kind: 'invalid', reason: 'payload is not JSON' }],
    ['payload null', form('null'), { kind: 'invalid', reason: 'payload has no type' }],
    ['payload a string', form('"block_actions"'), { kind: 'invalid', reason: 'payload has no type' }],
    ['type not a string', form({ type: 5 }), { kind: 'invalid', reason: 'payload has no type' }],
    ['no actions', form(click({ actions: [] })), { kind: 'invalid', reason: 'malformed block_actions payload' }],
    ['user id with markup', form(click({ user: { id: '<@U1>' } })), { kind: 'invalid', reason: 'malformed block_actions payload' }],
    ['channel id with markup', form(click({ container: { channel_id: '<!channel>' } })), { kind: 'invalid', reason: 'malformed block_actions payload' }],
    ['a huge user name', form(click({ user: { id: 'U1X', username: 'x'.repeat(201) } })), { kind: 'invalid', reason: 'malformed block_actions payload' }],
    ['value missing', form(click({}, { value: undefined })), { kind: 'invalid', reason: 'button value is not a review id' }],
    ['value zero', form(click({}, { value: '0' })), { kind: 'invalid', reason: 'button value is not a review id' }],
    ['value negative', form(click({}, { value: '-3' })), { kind: 'invalid', reason: 'button value is not a review id' }],
    ['value with a fraction', form(click({}, { value: '1.5' })), { kind: 'invalid', reason: 'button value is not a review id' }],
    ['value past 15 digits', form(click({}, { value: '1234567890123456' })), { kind: 'invalid', reason: 'button value is not a review id' }],
  ])('%s', (_name, body, expected) => {
    expect(parseSlackInteraction(body)).toEqual(expected);
  });

  it('never exposes response_url (the route has no way to call it)', () => {
    expect(JSON.stringify(parseSlackInteraction(form(click())))).not.toContain('evil.example');
  });
});
