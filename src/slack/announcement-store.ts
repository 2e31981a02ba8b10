/**
 * The part of the ReportStore the deploy announcer uses.
 *
 * What the announcer relies on (the store's contract, see src/store/report-store.ts):
 * - createAnnouncement is idempotent per (repo, toSha, channel) and safe under concurrent callers;
 * - claimAnnouncement is atomic: of two concurrent claims, at most one returns a record; it returns null when the
 *   record is posted or another live lease is held; it sets `leaseUntil` (so a record whose lease is set but that
 *   is not posted was claimed by someone whose outcome is unknown);
 * - listDueAnnouncements(now) returns records not posted, lease expired or absent, `nextAttemptAt` reached or null.
 */
import type { ReportStore } from '../store/report-store.js';

export type AnnouncementStore = Pick<
  ReportStore,
  'createAnnouncement' | 'claimAnnouncement' | 'markAnnouncementPosted' | 'markAnnouncementFailed' | 'listDueAnnouncements' | 'latestAnnouncement'
>;
