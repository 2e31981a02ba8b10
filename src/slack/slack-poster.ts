/**
 * Posting announcements to Slack over @slack/web-api, and finding one we posted before (to recover from a crash
 * between Slack's answer and the store's record). Never throws for Slack or network failures: it classifies them.
 *
 * The WebClient's own retries are off (`retries: 0`) and rate-limited calls are rejected at once
 * (`rejectRateLimitedCalls`): retrying, waiting for Retry-After and backing off are the announcer's job, which
 * holds a lease of limited length on the announcement.
 *
 * Scopes: chat:write (and chat:write.public to post in public channels the bot has not joined);
 * channels:history / groups:history for the crash-recovery lookup, which needs `slack.channel` to be a channel
 * id (with a name or without the scope, the lookup answers "unknown" and the announcement is posted).
 */
import { LogLevel, WebClient } from '@slack/web-api';
import type { Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AnnouncementFailureKind } from '../core/slack-announcement/announcement-retry-policy.js';
import { classifySlackErrorCode } from '../core/slack-announcement/announcement-retry-policy.js';
import type { SlackMessage } from '../core/slack-announcement/slack-blocks.js';
import { singleLine } from '../core/slack-announcement/slack-mrkdwn.js';

/** Identifies an announcement in the message's metadata. */
export interface AnnouncementMessageKey {
  readonly announcementId: number;
  /** "owner/repo" */
  readonly repo: string;
  readonly fromSha: string;
  readonly toSha: string;
}

export interface SlackFailure {
  readonly ok: false;
  readonly kind: AnnouncementFailureKind;
  /** Short reason for the report page; never contains the token. */
  readonly error: string;
  /** For kind 'rate_limited': Slack's Retry-After. */
  readonly retryAfterMs?: number;
  /** True when Slack may have posted the message even so (timeout, connection lost, 5xx). */
  readonly deliveryUnknown: boolean;
}

export type SlackPostResult = { readonly ok: true; readonly ts: string; readonly channelId: string } | SlackFailure;

export type SlackLookupResult =
  | { readonly status: 'found'; readonly ts: string }
  | { readonly status: 'not-found' }
  | { readonly status: 'unknown'; readonly error: string };

export interface SlackPoster {
  postMessage(channel: string, message: SlackMessage, key: AnnouncementMessageKey): Promise<SlackPostResult>;
  /** Looks for a message of this app carrying `key` in `channel`, posted after `since`. */
  findPostedMessage(channel: string, key: AnnouncementMessageKey, since: Date): Promise<SlackLookupResult>;
}

export interface SlackPosterOptions {
  /** SLACK_BOT_TOKEN */
  readonly token: string;
  /** SLACK_API_URL (tests, proxies); default https://slack.com/api/ */
  readonly apiUrl?: string | undefined;
  readonly logger: Logger;
  /** Per-request timeout; keep it well under the announcer's lease. Default 15 s. */
  readonly timeoutMs?: number;
}

export const ANNOUNCEMENT_EVENT_TYPE = 'deploy_checker_announcement';
const HISTORY_PAGE_SIZE = 200;
const HISTORY_MAX_PAGES = 5;
/** Slack timestamps and our clock may disagree a little. */
const HISTORY_CLOCK_SKEW_MS = 5 * 60_000;

/** @slack/web-api's Logger over pino. Debug output (request bodies) is dropped. */
export function slackLoggerFor(logger: Logger): SlackLogger {
  let level = LogLevel.INFO;
  let child = logger.child({ component: 'slack-web-api' });
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : String(m))).join(' ');
  return {
    debug: () => undefined,
    info: (...msg: unknown[]) => child.debug(text(msg)),
    warn: (...msg: unknown[]) => child.warn(text(msg)),
    error: (...msg: unknown[]) => child.error(text(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (name: string) => {
      child = logger.child({ component: name });
    },
  };
}

function short(s: string, max = 200): string {
  const one = singleLine(s);
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const platformErrorData = z.object({
  error: z.string(),
  response_metadata: z.object({ retryAfter: z.number().optional() }).partial().optional(),
});

/** Turns whatever the WebClient threw into a classified failure. */
export function classifySlackError(err: unknown): SlackFailure {
  const e = err as { code?: unknown; retryAfter?: unknown; data?: unknown; statusCode?: unknown; original?: unknown; message?: unknown };
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error': {
      const seconds = typeof e.retryAfter === 'number' && e.retryAfter > 0 ? e.retryAfter : 60;
      return { ok: false, kind: 'rate_limited', error: `Slack rate limit (retry after ${seconds} s)`, retryAfterMs: seconds * 1000, deliveryUnknown: false };
    }
    case 'slack_webapi_platform_error': {
      const data = platformErrorData.safeParse(e.data);
      const code = data.success ? short(data.data.error, 80) : 'unknown_error';
      if (code === 'ratelimited' || code === 'rate_limited') {
        const seconds = (data.success && data.data.response_metadata?.retryAfter) || 60;
        return { ok: false, kind: 'rate_limited', error: `Slack rate limit (retry after ${seconds} s)`, retryAfterMs: seconds * 1000, deliveryUnknown: false };
      }
      return { ok: false, kind: classifySlackErrorCode(code), error: `Slack error ${code}`, deliveryUnknown: false };
    }
    case 'slack_webapi_http_error': {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      return { ok: false, kind: 'transient', error: `Slack HTTP ${status}`, deliveryUnknown: status >= 500 };
    }
    case 'slack_webapi_request_error': {
      const original = e.original instanceof Error ? e.original.message : 'request failed';
      return { ok: false, kind: 'transient', error: `Slack request failed: ${short(original)}`, deliveryUnknown: true };
    }
    default: {
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, kind: 'transient', error: `Slack call failed: ${short(message)}`, deliveryUnknown: true };
    }
  }
}

const postMessageResponse = z.object({ ts: z.string().min(1), channel: z.string().min(1) });

const historyResponse = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() }).optional(),
      }),
    )
    .default([]),
  has_more: z.boolean().optional(),
  response_metadata: z.object({ next_cursor: z.string().optional() }).partial().optional(),
});

function slackTs(date: Date): string {
  return (Math.max(0, date.getTime()) / 1000).toFixed(6);
}

function metadataFor(key: AnnouncementMessageKey) {
  return {
    event_type: ANNOUNCEMENT_EVENT_TYPE,
    event_payload: {
      announcement_id: String(key.announcementId),
      repo: key.repo,
      from_sha: key.fromSha,
      to_sha: key.toSha,
    },
  };
}

export function createSlackPoster(options: SlackPosterOptions): SlackPoster {
  const apiUrl = options.apiUrl ? (options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`) : 'https://slack.com/api/';
  const logger = options.logger.child({ component: 'slack-poster' });
  const client = new WebClient(options.token, {
    slackApiUrl: apiUrl,
    logger: slackLoggerFor(options.logger),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 15_000,
    allowAbsoluteUrls: false,
  });

  return {
    async postMessage(channel, message, key) {
      try {
        const response = await client.chat.postMessage({
          channel,
          text: message.text,
          blocks: [...message.blocks],
          unfurl_links: false,
          unfurl_media: false,
          link_names: false,
          metadata: metadataFor(key),
        });
        const parsed = postMessageResponse.safeParse(response);
        if (!parsed.success) {
          // Slack said ok but the answer lacks the message ts: it may well have posted.
          return { ok: false, kind: 'transient', error: 'Slack answered without a message ts', deliveryUnknown: true };
        }
        return { ok: true, ts: parsed.data.ts, channelId: parsed.data.channel };
      } catch (err) {
        const failure = classifySlackError(err);
        logger.warn({ channel, announcementId: key.announcementId, kind: failure.kind, error: failure.error }, 'Slack post failed');
        return failure;
      }
    },

    async findPostedMessage(channel, key, since) {
      let cursor: string | undefined;
      try {
        for (let page = 0; page < HISTORY_MAX_PAGES; page += 1) {
          const raw = await client.conversations.history({
            channel,
            oldest: slackTs(new Date(since.getTime() - HISTORY_CLOCK_SKEW_MS)),
            limit: HISTORY_PAGE_SIZE,
            include_all_metadata: true,
            ...(cursor ? { cursor } : {}),
          });
          const parsed = historyResponse.safeParse(raw);
          if (!parsed.success) return { status: 'unknown', error: 'unexpected conversations.history answer' };
          for (const m of parsed.data.messages) {
            const payload = m.metadata?.event_payload;
            if (
              m.metadata?.event_type === ANNOUNCEMENT_EVENT_TYPE &&
              payload?.['announcement_id'] === String(key.announcementId) &&
              payload['to_sha'] === key.toSha &&
              payload['repo'] === key.repo
            ) {
              return { status: 'found', ts: m.ts };
            }
          }
          cursor = parsed.data.response_metadata?.next_cursor || undefined;
          if (!parsed.data.has_more || !cursor) return { status: 'not-found' };
        }
        return { status: 'unknown', error: 'too many messages since the announcement was recorded' };
      } catch (err) {
        return { status: 'unknown', error: classifySlackError(err).error };
      }
    },
  };
}
