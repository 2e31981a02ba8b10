/**
 * The deploy approval request in Slack over @slack/web-api: ApprovalRequestPoster (chat.postMessage, then
 * chat.update in place once decided) and ApprovalSlackClient for POST /slack/interactions
 * (usergroups.users.list, chat.postEphemeral). The WebClient is built as in slack-poster.ts (SLACK_API_URL, the
 * bot token, no retries of its own, rate-limited calls rejected at once, absolute URLs refused).
 *
 * Failures are thrown as errors whose message is classifySlackError's short reason (never the token); the
 * protection-rule side decides whether to retry a post or an update.
 *
 * Scopes: chat:write (chat:write.public for public channels the bot has not joined), usergroups:read.
 */
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ApprovalRequestPoster } from '../core/approval/deploy-approval-port.js';
import type { ApprovalMessage } from '../core/slack-approval/approval-blocks.js';
import type { ApprovalSlackClient } from '../core/slack-approval/approval-slack-port.js';
import { buildApprovalRequest, buildDecidedApprovalRequest } from '../core/slack-approval/build-approval-request.js';
import { classifySlackError, slackLoggerFor } from './slack-poster.js';

export interface ApprovalSlackOptions {
  /** SLACK_BOT_TOKEN */
  readonly token: string;
  /** SLACK_API_URL (tests, proxies); default https://slack.com/api/ */
  readonly apiUrl?: string | undefined;
  readonly logger: Logger;
  /** Per-request timeout. Default 10 s. */
  readonly timeoutMs?: number;
}

export class SlackApprovalError extends Error {
  override name = 'SlackApprovalError';
}

function createClient(options: ApprovalSlackOptions): WebClient {
  const apiUrl = options.apiUrl ? (options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`) : 'https://slack.com/api/';
  return new WebClient(options.token, {
    slackApiUrl: apiUrl,
    logger: slackLoggerFor(options.logger),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    allowAbsoluteUrls: false,
  });
}

const postMessageResponse = z.object({ ts: z.string().min(1), channel: z.string().min(1) });
const userGroupUsersResponse = z.object({ users: z.array(z.string()).default([]) });

function failed(what: string, err: unknown): SlackApprovalError {
  return new SlackApprovalError(`${what}: ${classifySlackError(err).error}`);
}

function messageArgs(message: ApprovalMessage) {
  return { text: message.text, blocks: [...message.blocks], unfurl_links: false, unfurl_media: false, link_names: false } as const;
}

export function createApprovalRequestPoster(options: ApprovalSlackOptions): ApprovalRequestPoster {
  const client = createClient(options);
  const logger = options.logger.child({ component: 'slack-approval-poster' });
  return {
    async post(channel, content) {
      let response: unknown;
      try {
        response = await client.chat.postMessage({ channel, ...messageArgs(buildApprovalRequest(content)) });
      } catch (err) {
        const error = failed('Slack approval request not posted', err);
        logger.warn({ channel, reviewId: content.reviewId, error: error.message }, 'Slack approval request not posted');
        throw error;
      }
      const parsed = postMessageResponse.safeParse(response);
      if (!parsed.success) throw new SlackApprovalError('Slack answered chat.postMessage without a channel and ts');
      logger.info({ channel: parsed.data.channel, ts: parsed.data.ts, reviewId: content.reviewId }, 'Slack approval request posted');
      return { channel: parsed.data.channel, ts: parsed.data.ts };
    },

    async update(message, content, outcome) {
      try {
        await client.chat.update({ channel: message.channel, ts: message.ts, ...messageArgs(buildDecidedApprovalRequest(content, outcome)) });
      } catch (err) {
        const error = failed('Slack approval request not updated', err);
        logger.warn({ channel: message.channel, ts: message.ts, reviewId: content.reviewId, error: error.message }, 'Slack approval request not updated');
        throw error;
      }
      logger.info({ channel: message.channel, ts: message.ts, reviewId: content.reviewId, state: outcome.state }, 'Slack approval request updated');
    },
  };
}

export function createApprovalSlackClient(options: ApprovalSlackOptions): ApprovalSlackClient {
  const client = createClient(options);
  return {
    async userGroupMembers(groupId) {
      let response: unknown;
      try {
        response = await client.usergroups.users.list({ usergroup: groupId });
      } catch (err) {
        throw failed('Slack user group not read', err);
      }
      const parsed = userGroupUsersResponse.safeParse(response);
      if (!parsed.success) throw new SlackApprovalError('Slack answered usergroups.users.list without users');
      return parsed.data.users;
    },

    async postEphemeral(channel, user, text) {
      try {
        await client.chat.postEphemeral({ channel, user, text, link_names: false });
      } catch (err) {
        throw failed('Slack ephemeral note not posted', err);
      }
    },
  };
}
