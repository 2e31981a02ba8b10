/** Shipments (production moves) and evaluation history: the records that outlive a deploy. */
import type { RepoRef } from '../core/domain.js';
import type { ShipmentRecord } from '../core/records/shipment-record.js';

export type ShipmentInput = Omit<ShipmentRecord, 'id' | 'kind'>;

export interface ShipmentFilter {
  /** ISO times: shippedAt >= since and < until. */
  readonly since?: string;
  readonly until?: string;
  readonly repo?: RepoRef;
  /** Only shipments flagged "shipped with problems". */
  readonly withProblemsOnly?: boolean;
  readonly limit: number;
  readonly offset: number;
}

export interface ShipmentStore {
  /** Records a shipment once per (repo, fromSha, toSha); `created` is false when it existed (redelivery, second signal). */
  recordShipment(input: ShipmentInput): Promise<{ record: ShipmentRecord; created: boolean }>;
  latestShipment(repo: RepoRef): Promise<ShipmentRecord | null>;
  /** Shipments whose `toSha` is this SHA, newest first. */
  shipmentsForSha(repo: RepoRef, toSha: string): Promise<ShipmentRecord[]>;
  /** Newest first. */
  listShipments(filter: ShipmentFilter): Promise<{ items: ShipmentRecord[]; total: number }>;
  /** Shipments that carried the ticket, newest first. */
  shipmentsForTicket(key: string): Promise<ShipmentRecord[]>;
}
