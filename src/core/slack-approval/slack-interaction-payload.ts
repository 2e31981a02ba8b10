/**
 * The body of a Slack interaction (POST /slack/interactions, `application/x-www-form-urlencoded` with one
 * `payload` field holding JSON), parsed with zod into the one thing deploy-checker acts on: a click on Approve or
 * Reject. Pure. The signature is checked before this runs, yet the payload is still treated as hostile input: every
 * field is bounded, ids must look like Slack ids, and the review id must be a plain positive integer.
 *
 * Outcomes: `decision` (act on it), `ignored` (another interaction type or another button: answered 200 and
 * dropped), `invalid` (not a Slack interaction at all: answered 400).
 */
import { z } from 'zod';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID } from './approval-blocks.js';

const slackId = z.string().regex(/^[A-Z0-9]{2,32}$/);

const interactionType = z.object({ type: z.string().max(64) });

const blockActions = z.object({
  type: z.literal('block_actions'),
  user: z.object({
    id: z.string().regex(/^[UW][A-Z0-9]{2,32}$/),
    username: z.string().max(200).optional(),
    name: z.string().max(200).optional(),
  }),
  actions: z
    .array(z.object({ action_id: z.string().max(255), value: z.string().max(2000).optional() }))
    .min(1)
    .max(25),
  container: z.object({ channel_id: slackId.optional(), message_ts: z.string().max(32).optional() }).optional(),
  channel: z.object({ id: slackId }).optional(),
});

export type SlackInteraction =
  | {
      readonly kind: 'decision';
      readonly reviewId: number;
      readonly state: 'approved' | 'rejected';
      readonly userId: string;
      readonly userName: string | null;
      /** Where the click happened (for ephemeral notes); null when the payload does not say. */
      readonly channel: string | null;
      readonly messageTs: string | null;
    }
  | { readonly kind: 'ignored'; readonly type: string }
  | { readonly kind: 'invalid'; readonly reason: string };

const REVIEW_ID = /^[1-9][0-9]{0,14}$/;

export function parseSlackInteraction(rawBody: string): SlackInteraction {
  const payload = new URLSearchParams(rawBody).get('payload');
  if (payload === null) return { kind: 'invalid', reason: 'no payload field' };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { kind: 'invalid', reason: 'payload is not JSON' };
  }
  const typed = interactionType.safeParse(json);
  if (!typed.success) return { kind: 'invalid', reason: 'payload has no type' };
  if (typed.data.type !== 'block_actions') return { kind: 'ignored', type: typed.data.type };
  const parsed = blockActions.safeParse(json);
  if (!parsed.success) return { kind: 'invalid', reason: 'malformed block_actions payload' };
  const action = parsed.data.actions[0];
  if (action === undefined || (action.action_id !== APPROVE_ACTION_ID && action.action_id !== REJECT_ACTION_ID)) {
    return { kind: 'ignored', type: 'block_actions' };
  }
  if (action.value === undefined || !REVIEW_ID.test(action.value)) return { kind: 'invalid', reason: 'button value is not a review id' };
  const user = parsed.data.user;
  return {
    kind: 'decision',
    reviewId: Number(action.value),
    state: action.action_id === APPROVE_ACTION_ID ? 'approved' : 'rejected',
    userId: user.id,
    userName: user.username ?? user.name ?? null,
    channel: parsed.data.container?.channel_id ?? parsed.data.channel?.id ?? null,
    messageTs: parsed.data.container?.message_ts ?? null,
  };
}
