/**
 * Announces each deploy in Slack exactly once, whatever the webhooks do.
 *
 * Every deploy is first recorded (store.createAnnouncement, unique per repo + toSha + channel), then claimed with
 * a lease (store.claimAnnouncement: only one worker of any replica holds it), posted, and marked posted. A second
 * signal for the same deploy finds the record posted or claimed and posts nothing. A failed post is marked
 * failed with its reason and a retry time (Retry-After, exponential backoff, or a long delay for errors a human
 * must fix); `resumeDue` takes every recorded-but-unposted deploy whose lease expired and retry time came —
 * after a restart too — and rebuilds its message with `loadAnnouncementContent` (the webhook was only a hint).
 *
 * The one window exactly-once cannot close by itself is a crash after Slack accepted the message and before the
 * store recorded it. Each message carries metadata naming its announcement, and a record that was claimed before
 * (or whose last failure left the delivery unknown) is first looked up in the channel's history; only when that
 * lookup is impossible (channel given by name, missing history scope) can such a crash give a second message.
 */
import type { Logger } from 'pino';
import type { AnnouncementBackoff, AnnouncementFailureKind } from '../core/slack-announcement/announcement-retry-policy.js';
import { announcementRetryDelayMs } from '../core/slack-announcement/announcement-retry-policy.js';
import { buildDeployAnnouncement } from '../core/slack-announcement/build-deploy-announcement.js';
import type { DeployAnnouncementInput } from '../core/slack-announcement/deploy-announcement-input.js';
import type { JiraOnDeploySettings, WriteBackNote } from '../core/slack-announcement/jira-write-back-plan.js';
import type { JiraWriter } from '../core/slack-announcement/jira-writer.js';
import type { AnnouncementRecord } from '../store/report-store.js';
import type { AnnouncementStore } from './announcement-store.js';
import { writeBackToJira } from './jira-write-back.js';
import type { AnnouncementMessageKey, SlackFailure, SlackPoster, SlackPostResult } from './slack-poster.js';

/** What to announce for one deploy and what to write back to JIRA afterwards. */
export interface AnnouncementContent {
  readonly content: DeployAnnouncementInput;
  /** Config `jira.onDeploy`. */
  readonly onDeploy: JiraOnDeploySettings;
}

export interface DeployAnnouncementRequest extends AnnouncementContent {
  /** Config `slack.channel` (a channel id is best: it also enables crash recovery by history lookup). */
  readonly channel: string;
}

export type AnnounceOutcome =
  /** Posted now (or found posted by an earlier attempt whose record was lost: `recovered`). */
  | 'posted'
  /** Someone posted it before: nothing done. */
  | 'already-posted'
  /** Another worker holds the lease (or posted just now): it posts, or the lease expires and resumeDue retries. */
  | 'in-progress'
  /** An earlier attempt failed; the retry time has not come (resumeDue will retry). */
  | 'scheduled'
  /** This attempt failed; recorded with its reason and next attempt time. */
  | 'failed'
  /**
   * The store already has a posted announcement for this SHA and channel with a different range (production
   * returned to a SHA announced before). The store's key (repo, toSha, channel) cannot record this deploy.
   */
  | 'conflict';

export interface AnnounceResult {
  readonly outcome: AnnounceOutcome;
  readonly announcementId: number | null;
  readonly messageTs: string | null;
  /** For 'failed' and 'scheduled' (and 'conflict'): the reason, as stored. */
  readonly error: string | null;
  readonly nextAttemptAt: string | null;
  /** True when the failure needs a human (channel_not_found, invalid_auth, …). */
  readonly permanent: boolean;
  /** True when the message was found in Slack instead of posted again. */
  readonly recovered: boolean;
  /** What the JIRA write-back could not do (for the report page). */
  readonly writeBackNotes: readonly WriteBackNote[];
}

export interface Clock {
  now(): Date;
}

export interface DeployAnnouncerDeps {
  readonly store: AnnouncementStore;
  readonly slack: SlackPoster;
  /** Null: no JIRA write-back whatever the config says. */
  readonly jiraWriter: JiraWriter | null;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a claim holds; must exceed the Slack request timeout plus the longest in-line Retry-After wait. */
  readonly leaseMs: number;
  readonly backoff: AnnouncementBackoff;
  /**
   * Rebuilds the content of a recorded deploy from GitHub and JIRA (record.repo, fromSha, toSha, rollback) and
   * the repo's config: used by resumeDue and when a webhook's range differs from the recorded one. Throwing makes
   * the attempt fail as transient (retried with backoff).
   */
  readonly loadAnnouncementContent: (record: AnnouncementRecord) => Promise<AnnouncementContent>;
  /** Waits for an in-line Retry-After; default setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** A 429 whose Retry-After is at most this is waited for in line (default 20 s); longer ones are rescheduled. */
  readonly maxInlineRateLimitWaitMs?: number;
  /** In-line rate-limit retries per attempt (default 2). */
  readonly maxInlineRateLimitRetries?: number;
  /** Parallel JIRA calls during write-back (default 4). */
  readonly writeBackConcurrency?: number;
}

export interface DeployAnnouncer {
  /** Records the deploy and posts it unless someone else has or does. Throws only when the store fails. */
  announce(request: DeployAnnouncementRequest): Promise<AnnounceResult>;
  /** Posts every due recorded-but-unposted announcement, one after another. Call at start and periodically. */
  resumeDue(now?: Date): Promise<AnnounceResult[]>;
}

/** Prefix of stored errors after which Slack may have posted anyway. */
export const DELIVERY_UNKNOWN_PREFIX = '(delivery unknown) ';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function result(
  outcome: AnnounceOutcome,
  record: AnnouncementRecord | null,
  extra: Partial<Omit<AnnounceResult, 'outcome' | 'announcementId'>> = {},
): AnnounceResult {
  return {
    outcome,
    announcementId: record?.id ?? null,
    messageTs: extra.messageTs ?? record?.messageTs ?? null,
    error: extra.error ?? null,
    nextAttemptAt: extra.nextAttemptAt ?? null,
    permanent: extra.permanent ?? false,
    recovered: extra.recovered ?? false,
    writeBackNotes: extra.writeBackNotes ?? [],
  };
}

function sameSha(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function matchesRecord(record: AnnouncementRecord, content: DeployAnnouncementInput): boolean {
  return (
    sameSha(record.fromSha, content.fromSha) &&
    sameSha(record.toSha, content.toSha) &&
    record.rollback === content.rollback &&
    record.repo.owner.toLowerCase() === content.repo.owner.toLowerCase() &&
    record.repo.repo.toLowerCase() === content.repo.repo.toLowerCase()
  );
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

export function createDeployAnnouncer(deps: DeployAnnouncerDeps): DeployAnnouncer {
  const { store, slack, clock, leaseMs, backoff } = deps;
  const sleep = deps.sleep ?? defaultSleep;
  const maxInlineWaitMs = deps.maxInlineRateLimitWaitMs ?? 20_000;
  const maxInlineRetries = deps.maxInlineRateLimitRetries ?? 2;
  const baseLogger = deps.logger.child({ component: 'deploy-announcer' });

  async function fail(
    claimed: AnnouncementRecord,
    failure: { kind: AnnouncementFailureKind; error: string; retryAfterMs?: number; deliveryUnknown: boolean },
    log: Logger,
  ): Promise<AnnounceResult> {
    const delay = announcementRetryDelayMs(backoff, claimed.attempts, failure);
    const next = new Date(clock.now().getTime() + delay);
    const error = (failure.deliveryUnknown ? DELIVERY_UNKNOWN_PREFIX : '') + failure.error;
    await store.markAnnouncementFailed(claimed.id, error, next);
    const fields = { kind: failure.kind, error, nextAttemptAt: next.toISOString(), attempts: claimed.attempts };
    if (failure.kind === 'permanent') log.error(fields, 'deploy not announced; needs a fix, retrying later');
    else log.warn(fields, 'deploy not announced yet; will retry');
    return result('failed', claimed, { error, nextAttemptAt: next.toISOString(), permanent: failure.kind === 'permanent' });
  }

  async function postWithRateLimitWaits(
    channel: string,
    request: DeployAnnouncementRequest,
    key: AnnouncementMessageKey,
    startedAt: number,
    log: Logger,
  ): Promise<SlackPostResult> {
    const message = buildDeployAnnouncement(request.content);
    let res = await slack.postMessage(channel, message, key);
    for (let retry = 0; retry < maxInlineRetries; retry += 1) {
      if (res.ok || res.kind !== 'rate_limited') break;
      const wait = res.retryAfterMs ?? Number.POSITIVE_INFINITY;
      const elapsed = clock.now().getTime() - startedAt;
      if (wait > maxInlineWaitMs || elapsed + wait >= leaseMs / 2) break;
      log.info({ retryAfterMs: wait }, 'Slack rate limit: waiting for Retry-After');
      await sleep(wait);
      res = await slack.postMessage(channel, message, key);
    }
    return res;
  }

  /** One attempt on a record: claim, (recover), post, record, write back. `record` is as seen before the claim. */
  async function attempt(record: AnnouncementRecord, supplied: DeployAnnouncementRequest | null): Promise<AnnounceResult> {
    const startedAt = clock.now();
    const claimed = await store.claimAnnouncement(record.id, new Date(startedAt.getTime() + leaseMs), startedAt);
    if (claimed === null) return result('in-progress', record);
    if (claimed.state === 'posted') return result('already-posted', claimed);
    const log = baseLogger.child({
      announcementId: claimed.id,
      repo: `${claimed.repo.owner}/${claimed.repo.repo}`,
      fromSha: claimed.fromSha,
      toSha: claimed.toSha,
      channel: claimed.channel,
    });

    let request = supplied;
    if (request === null) {
      try {
        const loaded = await deps.loadAnnouncementContent(claimed);
        if (!matchesRecord(claimed, loaded.content)) {
          return await fail(claimed, { kind: 'transient', error: 'the rebuilt announcement does not match the recorded range', deliveryUnknown: false }, log);
        }
        request = { ...loaded, channel: claimed.channel };
      } catch (err) {
        return await fail(claimed, { kind: 'transient', error: `could not rebuild the announcement: ${errorText(err)}`, deliveryUnknown: false }, log);
      }
    }

    const key: AnnouncementMessageKey = {
      announcementId: claimed.id,
      repo: `${claimed.repo.owner}/${claimed.repo.repo}`,
      fromSha: claimed.fromSha,
      toSha: claimed.toSha,
    };
    const mayHavePosted = record.leaseUntil !== null || (record.lastError?.startsWith(DELIVERY_UNKNOWN_PREFIX) ?? false);
    if (mayHavePosted) {
      const found = await slack.findPostedMessage(claimed.channel, key, new Date(claimed.createdAt));
      if (found.status === 'found') {
        await store.markAnnouncementPosted(claimed.id, found.ts);
        log.warn({ messageTs: found.ts }, 'announcement was already in Slack (earlier attempt not recorded); not posting again');
        return result('posted', claimed, { messageTs: found.ts, recovered: true });
      }
      if (found.status === 'unknown') {
        log.warn({ error: found.error }, 'could not check Slack for an earlier post of this announcement; posting');
      }
    }

    const res = await postWithRateLimitWaits(claimed.channel, request, key, startedAt.getTime(), log);
    if (!res.ok) return fail(claimed, res satisfies SlackFailure, log);

    await store.markAnnouncementPosted(claimed.id, res.ts);
    log.info({ messageTs: res.ts, stories: request.content.stories.length, rollback: claimed.rollback }, 'deploy announced');

    let writeBackNotes: WriteBackNote[] = [];
    if (deps.jiraWriter !== null) {
      try {
        writeBackNotes = await writeBackToJira(
          { writer: deps.jiraWriter, logger: log, concurrency: deps.writeBackConcurrency ?? 4 },
          request.content,
          request.onDeploy,
        );
      } catch (err) {
        // writeBackToJira does not throw; this guards the announcement result against a future bug.
        log.error({ error: errorText(err) }, 'JIRA write-back crashed');
        writeBackNotes = [{ key: '*', action: 'comment', message: `write-back failed: ${errorText(err)}` }];
      }
    }
    return result('posted', claimed, { messageTs: res.ts, writeBackNotes });
  }

  return {
    async announce(request) {
      const c = request.content;
      if (request.channel.trim() === '') throw new Error('announce: channel is empty');
      const { record, created } = await store.createAnnouncement({
        repo: c.repo,
        fromSha: c.fromSha,
        toSha: c.toSha,
        channel: request.channel,
        rollback: c.rollback,
        ticketKeys: c.stories.map((s) => s.key),
      });
      if (record.state === 'posted') {
        if (!matchesRecord(record, c)) {
          const error =
            `an announcement for ${c.toSha} in ${request.channel} was already posted for the range ` +
            `${record.fromSha}..${record.toSha}; this deploy (${c.fromSha}..${c.toSha}) cannot be recorded`;
          baseLogger.error({ announcementId: record.id, repo: `${c.repo.owner}/${c.repo.repo}` }, error);
          return result('conflict', record, { error });
        }
        return result('already-posted', record);
      }
      if (!created && record.nextAttemptAt !== null && Date.parse(record.nextAttemptAt) > clock.now().getTime()) {
        return result('scheduled', record, { error: record.lastError, nextAttemptAt: record.nextAttemptAt });
      }
      // The record is the truth: when this signal computed another range, the content is rebuilt from it.
      return attempt(record, created || matchesRecord(record, c) ? request : null);
    },

    async resumeDue(now) {
      const due = await store.listDueAnnouncements(now ?? clock.now());
      const results: AnnounceResult[] = [];
      for (const record of due) {
        try {
          results.push(await attempt(record, null));
        } catch (err) {
          baseLogger.error({ announcementId: record.id, error: errorText(err) }, 'resuming an announcement failed');
          results.push(result('failed', record, { error: errorText(err) }));
        }
      }
      return results;
    },
  };
}
