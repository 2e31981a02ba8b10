/** KnownRepositoryStore over kysely (SQLite and PostgreSQL). */
import type { Kysely } from 'kysely';
import type { KnownRepositoryStore } from './known-repository-store.js';

interface KnownRepositoriesTable {
  owner: string;
  repo: string;
  installation_id: number | null;
  last_seen_at: string | Date;
}

export function createKyselyKnownRepositoryStore(anyDb: Kysely<unknown>): KnownRepositoryStore {
  const db = anyDb as unknown as Kysely<{ known_repositories: KnownRepositoriesTable }>;
  return {
    async rememberRepository(repo, installationId, seenAt) {
      await db
        .insertInto('known_repositories')
        .values({ owner: repo.owner, repo: repo.repo, installation_id: installationId, last_seen_at: seenAt.toISOString() })
        .onConflict((oc) =>
          oc.columns(['owner', 'repo']).doUpdateSet((eb) => ({
            installation_id: eb.fn.coalesce(eb.ref('excluded.installation_id'), eb.ref('known_repositories.installation_id')),
            last_seen_at: eb.ref('excluded.last_seen_at'),
          })),
        )
        .execute();
    },
    async listKnownRepositories() {
      const rows = await db.selectFrom('known_repositories').select(['owner', 'repo', 'installation_id']).orderBy('owner').orderBy('repo').execute();
      return rows.map((row) => ({
        repo: { owner: row.owner, repo: row.repo },
        installationId: row.installation_id === null ? null : Number(row.installation_id),
      }));
    },
  };
}
