/**
 * The store's tables as kysely sees them, shared by both backends.
 *
 * Times are written as ISO 8601 UTC strings (`Date#toISOString`, fixed width) on both backends: SQLite keeps them
 * as TEXT, which compares correctly because the format is fixed; PostgreSQL parses them into `timestamptz` and hands
 * back `Date` objects, which the store turns back into ISO strings.
 */
import type { ColumnType, Generated } from 'kysely';

/** Written as an ISO string; read as a string (SQLite) or a Date (PostgreSQL). */
export type StoredTime = ColumnType<string | Date, string, string>;
export type NullableStoredTime = ColumnType<string | Date | null, string | null, string | null>;
/** Written as 0/1 (better-sqlite3 cannot bind booleans; PostgreSQL accepts '0'/'1' for boolean). */
export type StoredBoolean = ColumnType<number | boolean, number, number>;

export interface ReportsTable {
  id: Generated<number>;
  owner: string;
  repo: string;
  kind: string;
  /** 0 when the report has no pull request. */
  pr_number: number;
  deploy_sha: string;
  production_sha: string;
  state: string;
  trigger: string;
  evaluated_at: StoredTime;
  ticket_count: number;
  problem_count: number;
  commit_count: number;
  status_description: string;
  /** JSON array of the ticket keys (shipped and reverted); a trigger mirrors it into report_tickets. */
  ticket_keys: string;
  /** The whole DeployReport as JSON text. */
  report_json: string;
  created_at: StoredTime;
  updated_at: StoredTime;
  /**
   * SHA-256 of the canonical report JSON without time, trigger and status text (src/store/evaluation-digest.ts);
   * `<digest>@<id>` for an evaluation that recurs after evaluation <id>; 'legacy:<id>' for rows from before 0006.
   */
  content_digest: string;
  high_risk_count: Generated<number>;
  /** Retention emptied the commit list of report_json. */
  commits_pruned: ColumnType<number | boolean, number | undefined, number>;
}

export interface ReportTicketsTable {
  report_id: number;
  ticket_key: string;
}

export interface AnnouncementsTable {
  id: Generated<number>;
  owner: string;
  repo: string;
  from_sha: string;
  to_sha: string;
  channel: string;
  is_rollback: StoredBoolean;
  /** JSON array of ticket keys; a trigger mirrors it into announcement_tickets. */
  ticket_keys: string;
  state: string;
  message_ts: string | null;
  attempts: number;
  last_error: string | null;
  lease_until: NullableStoredTime;
  next_attempt_at: NullableStoredTime;
  created_at: StoredTime;
  updated_at: StoredTime;
}

export interface AnnouncementTicketsTable {
  announcement_id: number;
  ticket_key: string;
}

export interface ShipmentsTable {
  id: Generated<number>;
  owner: string;
  repo: string;
  /** '' when unknown. */
  from_sha: string;
  to_sha: string;
  source: string;
  environment: string | null;
  shipped_by: string | null;
  shipped_at: StoredTime;
  evaluation_id: number | null;
  check_state: string;
  problem_count: number;
  with_problems: StoredBoolean;
  is_rollback: StoredBoolean;
  /** JSON arrays of strings. */
  problems: string;
  ticket_keys: string;
  high_risk_keys: string;
  created_at: StoredTime;
}

export interface ShipmentTicketsTable {
  shipment_id: number;
  ticket_key: string;
}

export interface JiraDeliveriesTable {
  delivery_id: string;
  received_at: StoredTime;
}

export interface StoreDatabase {
  reports: ReportsTable;
  report_tickets: ReportTicketsTable;
  announcements: AnnouncementsTable;
  announcement_tickets: AnnouncementTicketsTable;
  jira_deliveries: JiraDeliveriesTable;
  shipments: ShipmentsTable;
  shipment_tickets: ShipmentTicketsTable;
}

export type StoreDialect = 'sqlite' | 'postgres';
