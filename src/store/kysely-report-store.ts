/**
 * The one ReportStore implementation, over kysely; the same queries run on SQLite and PostgreSQL.
 *
 * Every write is a single statement (ticket side tables are kept by triggers, see migrations/0001-initial.ts):
 * - saveReport: evaluations are immutable. INSERT … ON CONFLICT (identity) DO NOTHING, the identity being what was
 *   compared and a digest of what was seen (migrations/0006): the same evaluation again is the stored row, a
 *   different one is a new row, and concurrent writers never duplicate. "The report of a SHA" is its newest row;
 * - claimAnnouncement: one conditional UPDATE … RETURNING, so two workers cannot both take an announcement.
 */
import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { DeployReport, RepoRef } from '../core/domain.js';
import { reportStateSchema, reportTriggerSchema } from '../core/records/evaluation-parts-schema.js';
import { parseStoredEvaluation, reportKindSchema } from '../core/records/deploy-record-schema.js';
import type { AnnouncementRecord, AnnouncementState, ReportListItem, ReportStore, RepoSummary, RepositoryFilter, RepositoryOverview } from './report-store.js';
import { shippedWithProblems } from '../core/records/shipment-record.js';
import type { AnnouncementsTable, ReportsTable, StoreDatabase } from './store-database.js';
import { createKyselySessionStore } from './kysely-session-store.js';
import { createKyselyDeliveryStore } from './kysely-delivery-store.js';
import { createKyselyStatusIntentStore } from './kysely-status-intent-store.js';
import { createKyselyKnownRepositoryStore } from './kysely-known-repository-store.js';
import { createKyselyProtectionReviewStore } from './kysely-protection-review-store.js';
import { createKyselyShipmentStore, toShipmentRecord } from './kysely-shipment-store.js';
import { evaluationDigest } from './evaluation-digest.js';

/** Longest error text kept for an announcement. */
const MAX_ERROR_LENGTH = 2000;

const LIST_COLUMNS = [
  'id',
  'owner',
  'repo',
  'kind',
  'pr_number',
  'deploy_sha',
  'production_sha',
  'state',
  'trigger',
  'evaluated_at',
  'ticket_count',
  'problem_count',
  'commit_count',
  'status_description',
  'high_risk_count',
] as const;

/** The unique identity of an evaluation (migrations/0006): what it compared, and what it saw. */
const REPORT_IDENTITY = ['owner', 'repo', 'kind', 'pr_number', 'deploy_sha', 'production_sha', 'content_digest'] as const;

/** A report row as the list queries select it: exactly LIST_COLUMNS. */
type ListRow = Pick<Selectable<ReportsTable>, (typeof LIST_COLUMNS)[number]>;

type AnnouncementRow = Selectable<AnnouncementsTable>;

export function createKyselyReportStore(db: Kysely<StoreDatabase>, options: { now?: () => Date } = {}): Omit<ReportStore, 'checkHealth'> {
  const clock = options.now ?? (() => new Date());
  const listColumnsOf = (table: 'reports') => LIST_COLUMNS.map((column) => `${table}.${column}` as const);

  return {
    ...createKyselySessionStore(db),
    ...createKyselyDeliveryStore(db),
    ...createKyselyStatusIntentStore(db),
    ...createKyselyKnownRepositoryStore(db as unknown as Kysely<unknown>),
    ...createKyselyProtectionReviewStore(db as unknown as Kysely<unknown>),
    ...createKyselyShipmentStore(db, clock),

    async saveReport(report: DeployReport): Promise<number> {
      const now = clock().toISOString();
      const evaluatedAt = storedTime(report.evaluatedAt, 'evaluatedAt');
      const identity = {
        owner: report.repo.owner,
        repo: report.repo.repo,
        kind: report.kind,
        pr_number: pullRequestNumberOf(report),
        deploy_sha: report.headSha,
        production_sha: report.baseSha ?? '',
        content_digest: evaluationDigest(report),
      };
      const values = {
        state: report.state,
        trigger: report.trigger,
        evaluated_at: evaluatedAt,
        ticket_count: report.tickets.length,
        problem_count: report.findings.length,
        commit_count: report.commits.length,
        status_description: report.statusDescription,
        ticket_keys: JSON.stringify(ticketKeysOf(report)),
        report_json: JSON.stringify(report),
        high_risk_count: report.highRiskKeys?.length ?? 0,
        created_at: now,
        updated_at: now,
      };
      /** Inserts the evaluation under this digest, or gives the id of the row already there (never touched). */
      const insertOrFind = async (contentDigest: string): Promise<{ id: number; created: boolean }> => {
        const saved = await db
          .insertInto('reports')
          .values({ ...identity, content_digest: contentDigest, ...values })
          .onConflict((oc) => oc.columns(REPORT_IDENTITY).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (saved !== undefined) return { id: saved.id, created: true };
        const existing = await db
          .selectFrom('reports')
          .select('id')
          .where('owner', '=', identity.owner)
          .where('repo', '=', identity.repo)
          .where('kind', '=', identity.kind)
          .where('pr_number', '=', identity.pr_number)
          .where('deploy_sha', '=', identity.deploy_sha)
          .where('production_sha', '=', identity.production_sha)
          .where('content_digest', '=', contentDigest)
          .executeTakeFirstOrThrow();
        return { id: existing.id, created: false };
      };
      const first = await insertOrFind(identity.content_digest);
      if (first.created) return first.id;
      // The same evaluation is stored. If another one of this head came after it (A, then B, now A again: a ticket
      // went back), the head's current outcome is A once more: that occurrence is a row of its own, keyed by the
      // evaluation it follows, so that "the newest" is right and concurrent writers still agree on one row.
      const newest = await db
        .selectFrom('reports')
        .select(['id', 'evaluated_at', 'production_sha', 'content_digest'])
        .where('owner', '=', identity.owner)
        .where('repo', '=', identity.repo)
        .where('kind', '=', identity.kind)
        .where('pr_number', '=', identity.pr_number)
        .where('deploy_sha', '=', identity.deploy_sha)
        .orderBy('evaluated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      // The newest is this evaluation (or an earlier recurrence of it): nothing new.
      if (newest.production_sha === identity.production_sha && newest.content_digest.split('@')[0] === identity.content_digest) return newest.id;
      // A late copy of an evaluation that has been superseded since changes nothing either.
      if (evaluatedAt <= readTime(newest.evaluated_at)) return first.id;
      return (await insertOrFind(`${identity.content_digest}@${newest.id}`)).id;
    },

    async getReport(repo: RepoRef, sha: string): Promise<DeployReport | null> {
      const row = await db
        .selectFrom('reports')
        .select('report_json')
        .where('owner', '=', repo.owner)
        .where('repo', '=', repo.repo)
        .where('deploy_sha', '=', sha)
        .orderBy(sql`case when kind = 'deploy' then 0 else 1 end`)
        .orderBy('evaluated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? null : parseStoredReport(row.report_json);
    },

    async reportShasWithPrefix(repo: RepoRef, prefix: string, limit: number): Promise<string[]> {
      if (!/^[0-9a-f]{1,40}$/.test(prefix)) return [];
      const rows = await db
        .selectFrom('reports')
        .select('deploy_sha')
        .distinct()
        .where('owner', '=', repo.owner)
        .where('repo', '=', repo.repo)
        // Range on the indexed column (owner, repo, deploy_sha): every SHA that starts with the prefix.
        .where('deploy_sha', '>=', prefix)
        .where('deploy_sha', '<', `${prefix}g`)
        .orderBy('deploy_sha')
        .limit(limit)
        .execute();
      return rows.map((row) => row.deploy_sha);
    },

    async listRepositories(): Promise<RepoSummary[]> {
      const ranked = db
        .selectFrom('reports')
        .select(listColumnsOf('reports'))
        .select((eb) =>
          eb.fn
            .agg<number>('row_number')
            .over((ob) => ob.partitionBy(['owner', 'repo']).orderBy('evaluated_at', 'desc').orderBy('id', 'desc'))
            .as('repo_rank'),
        )
        .as('ranked');
      const rows = await db.selectFrom(ranked).select(LIST_COLUMNS).where('repo_rank', '=', 1).orderBy('evaluated_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map((row) => {
        const latest = toListItem(row);
        return { repo: latest.repo, latest };
      });
    },

    async listReports(repo: RepoRef, page: { limit: number; offset: number }) {
      const limit = nonNegativeInteger(page.limit, 'limit');
      const offset = nonNegativeInteger(page.offset, 'offset');
      const [rows, count] = await Promise.all([
        db
          .selectFrom('reports')
          .select(LIST_COLUMNS)
          .where('owner', '=', repo.owner)
          .where('repo', '=', repo.repo)
          .orderBy('evaluated_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .offset(offset)
          .execute(),
        db
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll<number | string | bigint>().as('total'))
          .where('owner', '=', repo.owner)
          .where('repo', '=', repo.repo)
          .executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toListItem), total: Number(count.total) };
    },

    async reportsForTicket(key: string): Promise<ReportListItem[]> {
      // One item per report as before evaluations were kept: the newest evaluation of each subject and head.
      const ranked = db
        .selectFrom('reports')
        .innerJoin('report_tickets', 'report_tickets.report_id', 'reports.id')
        .select(listColumnsOf('reports'))
        .select((eb) =>
          eb.fn
            .agg<number>('row_number')
            .over((ob) =>
              ob
                .partitionBy(['reports.owner', 'reports.repo', 'reports.kind', 'reports.pr_number', 'reports.deploy_sha'])
                .orderBy('reports.evaluated_at', 'desc')
                .orderBy('reports.id', 'desc'),
            )
            .as('head_rank'),
        )
        .where('report_tickets.ticket_key', '=', key)
        .as('ranked');
      const rows = await db.selectFrom(ranked).select(LIST_COLUMNS).where('head_rank', '=', 1).orderBy('evaluated_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(toListItem);
    },

    async latestReportsForTicket(key: string): Promise<ReportListItem[]> {
      const ranked = db
        .selectFrom('reports')
        .innerJoin('report_tickets', 'report_tickets.report_id', 'reports.id')
        .select(listColumnsOf('reports'))
        .select((eb) => [
          eb.fn
            .agg<number>('row_number')
            .over((ob) =>
              ob.partitionBy(['reports.owner', 'reports.repo', 'reports.kind']).orderBy('reports.evaluated_at', 'desc').orderBy('reports.id', 'desc'),
            )
            .as('kind_rank'),
          eb.fn
            .agg<number>('row_number')
            .over((ob) =>
              ob.partitionBy(['reports.owner', 'reports.repo', 'reports.pr_number']).orderBy('reports.evaluated_at', 'desc').orderBy('reports.id', 'desc'),
            )
            .as('pull_request_rank'),
        ])
        .where('report_tickets.ticket_key', '=', key)
        .as('ranked');
      const rows = await db
        .selectFrom(ranked)
        .select(LIST_COLUMNS)
        .where((eb) =>
          eb.or([eb.and([eb('kind', '=', 'deploy'), eb('kind_rank', '=', 1)]), eb.and([eb('pr_number', '<>', 0), eb('pull_request_rank', '=', 1)])]),
        )
        .orderBy('evaluated_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toListItem);
    },

    async createAnnouncement(input) {
      const now = clock().toISOString();
      const inserted = await db
        .insertInto('announcements')
        .values({
          owner: input.repo.owner,
          repo: input.repo.repo,
          from_sha: input.fromSha,
          to_sha: input.toSha,
          channel: input.channel,
          is_rollback: input.rollback ? 1 : 0,
          ticket_keys: JSON.stringify([...new Set(input.ticketKeys)]),
          state: 'pending' satisfies AnnouncementState,
          message_ts: null,
          attempts: 0,
          last_error: null,
          lease_until: null,
          next_attempt_at: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['owner', 'repo', 'from_sha', 'to_sha', 'channel']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted !== undefined) return { record: toAnnouncementRecord(inserted), created: true };
      const existing = await db
        .selectFrom('announcements')
        .selectAll()
        .where('owner', '=', input.repo.owner)
        .where('repo', '=', input.repo.repo)
        .where('from_sha', '=', input.fromSha)
        .where('to_sha', '=', input.toSha)
        .where('channel', '=', input.channel)
        .executeTakeFirstOrThrow();
      return { record: toAnnouncementRecord(existing), created: false };
    },

    async claimAnnouncement(id: number, leaseUntil: Date, now: Date): Promise<AnnouncementRecord | null> {
      const nowIso = storedTime(now, 'now');
      const claimed = await db
        .updateTable('announcements')
        .set((eb) => ({
          lease_until: storedTime(leaseUntil, 'leaseUntil'),
          attempts: eb('attempts', '+', 1),
          updated_at: nowIso,
        }))
        .where('id', '=', id)
        .where('state', '<>', 'posted')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
        .returningAll()
        .executeTakeFirst();
      return claimed === undefined ? null : toAnnouncementRecord(claimed);
    },

    async markAnnouncementPosted(id: number, messageTs: string): Promise<void> {
      await db
        .updateTable('announcements')
        .set({
          state: 'posted' satisfies AnnouncementState,
          message_ts: messageTs,
          last_error: null,
          lease_until: null,
          next_attempt_at: null,
          updated_at: clock().toISOString(),
        })
        .where('id', '=', id)
        .execute();
    },

    async markAnnouncementFailed(id: number, error: string, nextAttemptAt: Date): Promise<void> {
      await db
        .updateTable('announcements')
        .set({
          state: 'failed' satisfies AnnouncementState,
          last_error: error.slice(0, MAX_ERROR_LENGTH),
          lease_until: null,
          next_attempt_at: storedTime(nextAttemptAt, 'nextAttemptAt'),
          updated_at: clock().toISOString(),
        })
        .where('id', '=', id)
        // A late failure report must not undo a post that succeeded.
        .where('state', '<>', 'posted')
        .execute();
    },

    async listDueAnnouncements(now: Date): Promise<AnnouncementRecord[]> {
      const nowIso = storedTime(now, 'now');
      const rows = await db
        .selectFrom('announcements')
        .selectAll()
        .where('state', '<>', 'posted')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
        .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', nowIso)]))
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toAnnouncementRecord);
    },

    async latestAnnouncement(repo: RepoRef): Promise<AnnouncementRecord | null> {
      // By id: the sequence orders inserts across replicas, whatever their clocks say.
      const row = await db
        .selectFrom('announcements')
        .selectAll()
        .where('owner', '=', repo.owner)
        .where('repo', '=', repo.repo)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? null : toAnnouncementRecord(row);
    },

    async announcementsForTicket(key: string): Promise<AnnouncementRecord[]> {
      const rows = await db
        .selectFrom('announcements')
        .innerJoin('announcement_tickets', 'announcement_tickets.announcement_id', 'announcements.id')
        .selectAll('announcements')
        .where('announcement_tickets.ticket_key', '=', key)
        .orderBy('announcements.id', 'desc')
        .execute();
      return rows.map(toAnnouncementRecord);
    },

    async announcementsForSha(repo: RepoRef, toSha: string): Promise<AnnouncementRecord[]> {
      const rows = await db
        .selectFrom('announcements')
        .selectAll()
        .where('owner', '=', repo.owner)
        .where('repo', '=', repo.repo)
        .where('to_sha', '=', toSha)
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toAnnouncementRecord);
    },

    async listEvaluationsForSha(repo: RepoRef, sha: string): Promise<ReportListItem[]> {
      const rows = await db
        .selectFrom('reports')
        .select(LIST_COLUMNS)
        .where('owner', '=', repo.owner)
        .where('repo', '=', repo.repo)
        .where('deploy_sha', '=', sha)
        .orderBy('evaluated_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toListItem);
    },

    async getReportById(id: number): Promise<DeployReport | null> {
      if (!Number.isSafeInteger(id) || id < 1) return null;
      const row = await db.selectFrom('reports').select('report_json').where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : parseStoredReport(row.report_json);
    },

    async listRepositoryOverviews(filter: RepositoryFilter) {
      const limit = nonNegativeInteger(filter.limit, 'limit');
      const offset = nonNegativeInteger(filter.offset, 'offset');
      const pattern = filter.repoContains ? `%${escapeLike(filter.repoContains.toLowerCase())}%` : null;
      // Three queries whatever the number of repositories: newest evaluation, pending deploy, last shipment, each
      // ranked per repository in SQL; joined, filtered and paged here.
      const matches = (table: 'reports' | 'shipments') =>
        sql<boolean>`lower(${sql.ref(`${table}.owner`)} || '/' || ${sql.ref(`${table}.repo`)}) like ${pattern} escape '\\'`;
      const newest = db
        .selectFrom('reports')
        .select(listColumnsOf('reports'))
        .select((eb) =>
          eb.fn
            .agg<number>('row_number')
            .over((ob) => ob.partitionBy(['reports.owner', 'reports.repo']).orderBy('reports.evaluated_at', 'desc').orderBy('reports.id', 'desc'))
            .as('rank'),
        )
        .$if(pattern !== null, (qb) => qb.where(matches('reports')))
        .as('ranked');
      const pending = db
        .selectFrom('reports')
        .select(listColumnsOf('reports'))
        .select((eb) =>
          eb.fn
            .agg<number>('row_number')
            .over((ob) => ob.partitionBy(['reports.owner', 'reports.repo']).orderBy('reports.evaluated_at', 'desc').orderBy('reports.id', 'desc'))
            .as('rank'),
        )
        .where('reports.kind', '=', 'deploy')
        // Not what production already reached, and evaluated after the last move of production.
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('shipments')
                .select('shipments.id')
                .whereRef('shipments.owner', '=', 'reports.owner')
                .whereRef('shipments.repo', '=', 'reports.repo')
                .where((eb) =>
                  eb.or([eb('shipments.to_sha', '=', eb.ref('reports.deploy_sha')), eb('shipments.shipped_at', '>=', eb.ref('reports.evaluated_at'))]),
                ),
            ),
          ),
        )
        .$if(pattern !== null, (qb) => qb.where(matches('reports')))
        .as('ranked');
      const shipped = db
        .selectFrom('shipments')
        .selectAll('shipments')
        .select((eb) =>
          eb.fn
            .agg<number>('row_number')
            .over((ob) => ob.partitionBy(['shipments.owner', 'shipments.repo']).orderBy('shipments.shipped_at', 'desc').orderBy('shipments.id', 'desc'))
            .as('rank'),
        )
        .$if(pattern !== null, (qb) => qb.where(matches('shipments')))
        .as('ranked');
      const [newestRows, pendingRows, shipmentRows] = await Promise.all([
        db.selectFrom(newest).select(LIST_COLUMNS).where('rank', '=', 1).execute(),
        db.selectFrom(pending).select(LIST_COLUMNS).where('rank', '=', 1).execute(),
        db.selectFrom(shipped).selectAll().where('rank', '=', 1).execute(),
      ]);
      const key = (owner: string, repo: string) => `${owner}/${repo}`;
      const pendingByRepo = new Map(pendingRows.map((row) => [key(row.owner, row.repo), toListItem(row)]));
      const shipmentByRepo = new Map(
        shipmentRows.map((row) => {
          const { rank: _rank, ...shipment } = row;
          return [key(row.owner, row.repo), toShipmentRecord(shipment)];
        }),
      );
      const activityOf = (overview: RepositoryOverview) =>
        Math.max(Date.parse(overview.latest.evaluatedAt), overview.lastShipment ? Date.parse(overview.lastShipment.shippedAt) : 0);
      const all = newestRows
        .map((row): RepositoryOverview => {
          const latest = toListItem(row);
          const repoKey = key(row.owner, row.repo);
          return { repo: latest.repo, latest, pendingDeploy: pendingByRepo.get(repoKey) ?? null, lastShipment: shipmentByRepo.get(repoKey) ?? null };
        })
        .filter((overview) => {
          if (filter.state === undefined) return true;
          if (filter.state === 'shipped-with-problems') return overview.lastShipment !== null && shippedWithProblems(overview.lastShipment);
          return overview.pendingDeploy?.state === filter.state;
        })
        .sort((a, b) => activityOf(b) - activityOf(a) || b.latest.id - a.latest.id);
      return { items: all.slice(offset, offset + limit), total: all.length };
    },

    async pruneEvaluationCommits(before: Date, batchSize: number): Promise<number> {
      const size = nonNegativeInteger(batchSize, 'batchSize');
      if (size === 0) return 0;
      const cutoff = storedTime(before, 'before');
      // Kept: the newest evaluation of each subject (kind, pull request) and head, and any evaluation a shipment names.
      const candidates = await db
        .selectFrom('reports as r')
        .select(['r.id', 'r.report_json'])
        .where('r.evaluated_at', '<', cutoff)
        .where('r.commits_pruned', '=', 0)
        .where('r.commit_count', '>', 0)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('reports as newer')
              .select('newer.id')
              .whereRef('newer.owner', '=', 'r.owner')
              .whereRef('newer.repo', '=', 'r.repo')
              .whereRef('newer.kind', '=', 'r.kind')
              .whereRef('newer.pr_number', '=', 'r.pr_number')
              .whereRef('newer.deploy_sha', '=', 'r.deploy_sha')
              .where((eb) =>
                eb.or([
                  eb('newer.evaluated_at', '>', eb.ref('r.evaluated_at')),
                  eb.and([eb('newer.evaluated_at', '=', eb.ref('r.evaluated_at')), eb('newer.id', '>', eb.ref('r.id'))]),
                ]),
              ),
          ),
        )
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('shipments').select('shipments.id').whereRef('shipments.evaluation_id', '=', 'r.id'))))
        .orderBy('r.id')
        .limit(size)
        .execute();
      let pruned = 0;
      for (const row of candidates) {
        const report = JSON.parse(row.report_json) as Record<string, unknown>;
        const updated = await db
          .updateTable('reports')
          .set({ report_json: JSON.stringify({ ...report, commits: [], commitsPruned: true }), commits_pruned: 1, updated_at: clock().toISOString() })
          .where('id', '=', Number(row.id))
          .where('commits_pruned', '=', 0)
          // A shipment recorded since the selection keeps its evaluation whole.
          .where(({ not, exists, selectFrom }) =>
            not(exists(selectFrom('shipments').select('shipments.id').where('shipments.evaluation_id', '=', Number(row.id)))),
          )
          .executeTakeFirst();
        pruned += Number(updated.numUpdatedRows);
      }
      return pruned;
    },

    async close(): Promise<void> {
      await db.destroy();
    },
  };
}

function pullRequestNumberOf(report: DeployReport): number {
  const number = report.pullRequest?.number ?? 0;
  if (!Number.isSafeInteger(number) || number < 0) {
    throw new Error(`report pull request number must be a non-negative integer, got ${String(number)}`);
  }
  return number;
}

/** Keys the report mentions, shipped or reverted, each once, sorted. */
export function ticketKeysOf(report: DeployReport): string[] {
  return [...new Set([...report.tickets.map((t) => t.key), ...report.reverted.map((r) => r.key)])].sort();
}

/** Fixed-width UTC ISO string, so stored times compare as text on SQLite and parse as timestamptz on PostgreSQL. */
function storedTime(value: Date | string, what: string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new Error(`${what} is not a valid time: ${String(value)}`);
  return date.toISOString();
}

function readTime(value: string | Date): string {
  return storedTime(value, 'stored time');
}

function readOptionalTime(value: string | Date | null): string | null {
  return value === null ? null : readTime(value);
}

/** The text matched literally by LIKE … ESCAPE '\\': its wildcards and the escape character escaped. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function nonNegativeInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${what} must be a non-negative integer`);
  return value;
}

/** Every AnnouncementState, no more and no fewer (the compiler checks both), as a schema. */
const announcementStateSchema = z.enum({ pending: 'pending', posted: 'posted', failed: 'failed' } as const satisfies Record<
  AnnouncementState,
  AnnouncementState
>);

/** A stored column value that must be one of an enum's values. */
function oneOf<T extends string>(schema: z.ZodType<T>, value: string, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`stored ${what} is not recognised: ${JSON.stringify(value)}`);
  return parsed.data;
}

function toListItem(row: ListRow): ReportListItem {
  return {
    id: Number(row.id),
    kind: oneOf(reportKindSchema, row.kind, 'report kind'),
    repo: { owner: row.owner, repo: row.repo },
    headSha: row.deploy_sha,
    baseSha: row.production_sha === '' ? null : row.production_sha,
    pullRequestNumber: row.pr_number === 0 ? null : Number(row.pr_number),
    trigger: oneOf(reportTriggerSchema, row.trigger, 'report trigger'),
    evaluatedAt: readTime(row.evaluated_at),
    state: oneOf(reportStateSchema, row.state, 'report state'),
    ticketCount: Number(row.ticket_count),
    problemCount: Number(row.problem_count),
    commitCount: Number(row.commit_count),
    statusDescription: row.status_description,
    highRiskCount: Number(row.high_risk_count),
  };
}

function toAnnouncementRecord(row: AnnouncementRow): AnnouncementRecord {
  return {
    id: Number(row.id),
    repo: { owner: row.owner, repo: row.repo },
    fromSha: row.from_sha,
    toSha: row.to_sha,
    channel: row.channel,
    rollback: Boolean(row.is_rollback),
    ticketKeys: parseStringArray(row.ticket_keys, 'announcement ticket keys'),
    state: oneOf(announcementStateSchema, row.state, 'announcement state'),
    messageTs: row.message_ts,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    leaseUntil: readOptionalTime(row.lease_until),
    nextAttemptAt: readOptionalTime(row.next_attempt_at),
    createdAt: readTime(row.created_at),
    updatedAt: readTime(row.updated_at),
  };
}

function parseStringArray(text: string, what: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new Error(`stored ${what} are not a list of strings`);
  }
  return value;
}

/** The stored JSON is our own, but it is parsed with the record schema (upgrading older field names) like any input. */
function parseStoredReport(text: string): DeployReport {
  return parseStoredEvaluation(JSON.parse(text));
}
