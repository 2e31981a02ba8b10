/**
 * ShipmentStore over kysely (SQLite and PostgreSQL, tables from migrations/0006-evaluation-history-and-shipments.ts).
 * Recording is one INSERT … ON CONFLICT DO NOTHING on (owner, repo, from_sha, to_sha), so a redelivery or a second
 * signal never records a move twice; an unknown `fromSha` is stored as ''. The ticket index (shipment_tickets) is
 * kept by a trigger. Rows are parsed with `shipmentRecordSchema`.
 */
import type { Kysely, Selectable } from 'kysely';
import { shipmentRecordSchema, shippedWithProblems, type ShipmentRecord } from '../core/records/shipment-record.js';
import type { RepoRef } from '../core/domain.js';
import type { ShipmentFilter, ShipmentInput, ShipmentStore } from './shipment-store.js';
import type { ShipmentsTable, StoreDatabase } from './store-database.js';

type ShipmentRow = Selectable<ShipmentsTable>;

export function createKyselyShipmentStore(db: Kysely<StoreDatabase>, clock: () => Date): ShipmentStore {
  const identityOf = (input: Pick<ShipmentInput, 'repo' | 'fromSha' | 'toSha'>) => ({
    owner: input.repo.owner,
    repo: input.repo.repo,
    from_sha: input.fromSha ?? '',
    to_sha: input.toSha,
  });

  return {
    async recordShipment(input: ShipmentInput) {
      // Validated before it is written: what goes in is what every reader gets back.
      const valid = shipmentRecordSchema.omit({ id: true, kind: true }).parse(input);
      const identity = identityOf(valid);
      const inserted = await db
        .insertInto('shipments')
        .values({
          ...identity,
          source: valid.source,
          environment: valid.environment,
          shipped_by: valid.shippedBy,
          shipped_at: storedTime(valid.shippedAt),
          evaluation_id: valid.evaluationId,
          check_state: valid.checkState,
          problem_count: valid.problemCount,
          with_problems: shippedWithProblems(valid) ? 1 : 0,
          is_rollback: valid.rollback ? 1 : 0,
          problems: JSON.stringify(valid.problems),
          ticket_keys: JSON.stringify([...new Set(valid.ticketKeys)]),
          high_risk_keys: JSON.stringify([...new Set(valid.highRiskKeys)]),
          created_at: clock().toISOString(),
        })
        .onConflict((oc) => oc.columns(['owner', 'repo', 'from_sha', 'to_sha']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted !== undefined) return { record: toShipmentRecord(inserted), created: true };
      const existing = await db
        .selectFrom('shipments')
        .selectAll()
        .where('owner', '=', identity.owner)
        .where('repo', '=', identity.repo)
        .where('from_sha', '=', identity.from_sha)
        .where('to_sha', '=', identity.to_sha)
        .executeTakeFirstOrThrow();
      return { record: toShipmentRecord(existing), created: false };
    },

    async latestShipment(repo: RepoRef) {
      const row = await db
        .selectFrom('shipments')
        .selectAll()
        .where('owner', '=', repo.owner)
        .where('repo', '=', repo.repo)
        .orderBy('shipped_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? null : toShipmentRecord(row);
    },

    async shipmentsForSha(repo: RepoRef, toSha: string) {
      const rows = await db
        .selectFrom('shipments')
        .selectAll()
        .where('owner', '=', repo.owner)
        .where('repo', '=', repo.repo)
        .where('to_sha', '=', toSha)
        .orderBy('shipped_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toShipmentRecord);
    },

    async listShipments(filter: ShipmentFilter) {
      const limit = nonNegativeInteger(filter.limit, 'limit');
      const offset = nonNegativeInteger(filter.offset, 'offset');
      let query = db.selectFrom('shipments');
      if (filter.since !== undefined) query = query.where('shipped_at', '>=', storedTime(filter.since));
      if (filter.until !== undefined) query = query.where('shipped_at', '<', storedTime(filter.until));
      if (filter.repo !== undefined) query = query.where('owner', '=', filter.repo.owner).where('repo', '=', filter.repo.repo);
      if (filter.withProblemsOnly === true) query = query.where('with_problems', '=', 1);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('shipped_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
        query.select((eb) => eb.fn.countAll<number | string | bigint>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toShipmentRecord), total: Number(count.total) };
    },

    async shipmentsForTicket(key: string) {
      const rows = await db
        .selectFrom('shipments')
        .innerJoin('shipment_tickets', 'shipment_tickets.shipment_id', 'shipments.id')
        .selectAll('shipments')
        .where('shipment_tickets.ticket_key', '=', key)
        .orderBy('shipments.shipped_at', 'desc')
        .orderBy('shipments.id', 'desc')
        .execute();
      return rows.map(toShipmentRecord);
    },
  };
}

export function toShipmentRecord(row: ShipmentRow): ShipmentRecord {
  return shipmentRecordSchema.parse({
    kind: 'shipment',
    id: Number(row.id),
    repo: { owner: row.owner, repo: row.repo },
    fromSha: row.from_sha === '' ? null : row.from_sha,
    toSha: row.to_sha,
    source: row.source,
    environment: row.environment,
    shippedBy: row.shipped_by,
    shippedAt: storedTime(row.shipped_at),
    evaluationId: row.evaluation_id === null ? null : Number(row.evaluation_id),
    checkState: row.check_state,
    problemCount: Number(row.problem_count),
    problems: JSON.parse(row.problems),
    ticketKeys: JSON.parse(row.ticket_keys),
    highRiskKeys: JSON.parse(row.high_risk_keys),
    rollback: Boolean(row.is_rollback),
  });
}

/** Fixed-width UTC ISO string (PostgreSQL hands back Date objects). */
function storedTime(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new Error(`not a valid time: ${String(value)}`);
  return date.toISOString();
}

function nonNegativeInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${what} must be a non-negative integer`);
  return value;
}
