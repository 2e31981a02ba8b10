/**
 * In-memory fake of the announcement methods of ReportStore, for the announcer's tests. Each method yields to
 * the event loop first (so concurrent callers interleave) and then acts atomically, like a database statement.
 *
 * Semantics chosen where the interface leaves them open (tell the store's implementer if they differ):
 * - claimAnnouncement increments `attempts` and sets `leaseUntil`;
 * - markAnnouncementPosted clears lease, error and retry time; markAnnouncementFailed sets state 'failed',
 *   `lastError`, `nextAttemptAt` and clears the lease.
 */
import type { RepoRef } from '../../src/core/domain.js';
import type { AnnouncementRecord, ReportStore } from '../../src/store/report-store.js';

type AnnouncementMethods = Pick<
  ReportStore,
  | 'createAnnouncement'
  | 'claimAnnouncement'
  | 'markAnnouncementPosted'
  | 'markAnnouncementFailed'
  | 'listDueAnnouncements'
  | 'latestAnnouncement'
  | 'announcementsForSha'
>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface InMemoryAnnouncementStore extends AnnouncementMethods {
  /** Copies of every record, by id. */
  all(): AnnouncementRecord[];
  get(id: number): AnnouncementRecord;
}

const sameRepo = (a: RepoRef, b: RepoRef) => a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();

export function createInMemoryAnnouncementStore(clock: { now(): Date }): InMemoryAnnouncementStore {
  const rows: Mutable<AnnouncementRecord>[] = [];
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const copy = (r: AnnouncementRecord): AnnouncementRecord => ({ ...r, repo: { ...r.repo }, ticketKeys: [...r.ticketKeys] });
  const find = (id: number) => {
    const row = rows.find((r) => r.id === id);
    if (!row) throw new Error(`no announcement ${id}`);
    return row;
  };

  return {
    all: () => rows.map(copy),
    get: (id) => copy(find(id)),

    async createAnnouncement(input) {
      await tick();
      const existing = rows.find((r) => sameRepo(r.repo, input.repo) && r.fromSha === input.fromSha && r.toSha === input.toSha && r.channel === input.channel);
      if (existing) return { record: copy(existing), created: false };
      const now = clock.now().toISOString();
      const row: Mutable<AnnouncementRecord> = {
        id: rows.length + 1,
        repo: { ...input.repo },
        fromSha: input.fromSha,
        toSha: input.toSha,
        channel: input.channel,
        rollback: input.rollback,
        ticketKeys: [...input.ticketKeys],
        state: 'pending',
        messageTs: null,
        attempts: 0,
        lastError: null,
        leaseUntil: null,
        nextAttemptAt: null,
        createdAt: now,
        updatedAt: now,
      };
      rows.push(row);
      return { record: copy(row), created: true };
    },

    async claimAnnouncement(id, leaseUntil, now) {
      await tick();
      const row = find(id);
      if (row.state === 'posted') return null;
      if (row.leaseUntil !== null && Date.parse(row.leaseUntil) > now.getTime()) return null;
      row.leaseUntil = leaseUntil.toISOString();
      row.attempts += 1;
      row.updatedAt = now.toISOString();
      return copy(row);
    },

    async markAnnouncementPosted(id, messageTs) {
      await tick();
      const row = find(id);
      Object.assign(row, { state: 'posted', messageTs, leaseUntil: null, lastError: null, nextAttemptAt: null, updatedAt: clock.now().toISOString() });
    },

    async markAnnouncementFailed(id, error, nextAttemptAt) {
      await tick();
      const row = find(id);
      if (row.state === 'posted') return;
      Object.assign(row, {
        state: 'failed',
        lastError: error,
        nextAttemptAt: nextAttemptAt.toISOString(),
        leaseUntil: null,
        updatedAt: clock.now().toISOString(),
      });
    },

    async listDueAnnouncements(now) {
      await tick();
      const t = now.getTime();
      return rows
        .filter(
          (r) =>
            r.state !== 'posted' && (r.leaseUntil === null || Date.parse(r.leaseUntil) <= t) && (r.nextAttemptAt === null || Date.parse(r.nextAttemptAt) <= t),
        )
        .map(copy);
    },

    async latestAnnouncement(repo) {
      await tick();
      const mine = rows.filter((r) => sameRepo(r.repo, repo));
      const last = mine[mine.length - 1];
      return last ? copy(last) : null;
    },

    async announcementsForSha(repo, toSha) {
      await tick();
      return rows
        .filter((r) => sameRepo(r.repo, repo) && r.toSha === toSha)
        .reverse()
        .map(copy);
    },
  };
}
