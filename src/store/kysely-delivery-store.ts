/**
 * DeliveryStore over kysely (SQLite and PostgreSQL, tables from migrations/0003-deliveries.ts). Each record is one
 * INSERT … ON CONFLICT DO NOTHING, so of two replicas receiving the same delivery exactly one records it.
 */
import type { Kysely } from 'kysely';
import type { DeliveryStore, JiraDeliveryKeys } from './delivery-store.js';
import type { JiraDeliveriesTable, StoreDatabase, StoredTime } from './store-database.js';

/** The tables of migration 0003, added to the shared schema type here rather than in store-database.ts. */
type DeliveryTables = {
  github_deliveries: { delivery_id: string; event: string; received_at: StoredTime };
  jira_deliveries: JiraDeliveriesTable & { body_hash: string | null };
};

export function createKyselyDeliveryStore(database: Kysely<StoreDatabase>): DeliveryStore {
  const db = database.withTables<DeliveryTables>();
  return {
    async recordGithubDelivery(deliveryId: string, event: string, receivedAt: Date): Promise<boolean> {
      const inserted = await db
        .insertInto('github_deliveries')
        .values({ delivery_id: deliveryId, event, received_at: receivedAt.toISOString() })
        .onConflict((oc) => oc.column('delivery_id').doNothing())
        .returning('delivery_id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async recordJiraDelivery(keys: JiraDeliveryKeys, receivedAt: Date): Promise<boolean> {
      // No conflict target: a clash on the identifier (primary key) or on the body hash (unique index) is a duplicate.
      const inserted = await db
        .insertInto('jira_deliveries')
        .values({
          delivery_id: keys.deliveryId ?? `sha256:${keys.bodyHash}`,
          body_hash: keys.bodyHash,
          received_at: receivedAt.toISOString(),
        })
        .onConflict((oc) => oc.doNothing())
        .returning('delivery_id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async pruneDeliveries(before: Date): Promise<number> {
      const cutoff = before.toISOString();
      const github = await db.deleteFrom('github_deliveries').where('received_at', '<', cutoff).executeTakeFirst();
      const jira = await db.deleteFrom('jira_deliveries').where('received_at', '<', cutoff).executeTakeFirst();
      return Number(github.numDeletedRows) + Number(jira.numDeletedRows);
    },
  };
}
