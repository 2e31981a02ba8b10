/** Repositories webhooks were received for, whether or not they have a report (for the reconciler). */
import type { RepoRef } from '../core/domain.js';

export interface KnownRepository {
  readonly repo: RepoRef;
  readonly installationId: number | null;
}

export interface KnownRepositoryStore {
  /** Records (or refreshes) a repository a webhook was received for. */
  rememberRepository(repo: RepoRef, installationId: number | null, seenAt: Date): Promise<void>;
  listKnownRepositories(): Promise<KnownRepository[]>;
}
