/**
 * Where a deploy's range starts: the last announced production SHA, or on the very first deploy the push's
 * `before`. A second signal for the SHA already announced last (redelivery, push + deployment_status) gets
 * the same range, so it maps onto the same announcement.
 *
 * Call it only for a `toSha` that is production's current head (check GitHub): a late redelivery of an old push
 * would otherwise look like a rollback.
 */
import type { AnnouncementRecord } from '../store/report-store.js';
import type { RepoRef } from '../core/domain.js';
import type { AnnouncementStore } from './announcement-store.js';

export interface ResolvedDeployRange {
  /** Null when nothing was announced before and the signal carries no `before` (first deployment_status). */
  readonly fromSha: string | null;
  /** The newest announcement of the repository, if any. */
  readonly previous: AnnouncementRecord | null;
}

export async function resolveDeployRange(
  store: Pick<AnnouncementStore, 'latestAnnouncement'>,
  repo: RepoRef,
  toSha: string,
  beforeSha: string | null,
): Promise<ResolvedDeployRange> {
  const previous = await store.latestAnnouncement(repo);
  if (previous === null) return { fromSha: beforeSha, previous };
  if (previous.toSha.toLowerCase() === toSha.toLowerCase()) return { fromSha: previous.fromSha, previous };
  return { fromSha: previous.toSha, previous };
}
