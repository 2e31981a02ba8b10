/**
 * Migration 0007: the stored report JSON of every row written before the neutral names (commit c1c5731) is rewritten
 * to them — `deploySha`→`headSha`, `productionSha`→`baseSha` ('' → null), `deployBranch`→`headBranch`,
 * `productionBranch`→`baseBranch` — with the same pure function the store applies on every read
 * (src/core/records/upgrade-stored-report.ts), so a row this misses still loads. Rows are read and written in
 * batches by id, so a large table is never held in memory at once. The table's own columns keep their names.
 */
import type { Kysely, Migration } from 'kysely';
import { isLegacyStoredReport, upgradeStoredReport } from '../../core/records/upgrade-stored-report.js';
import type { StoreDialect } from '../store-database.js';

// Migrations run against whatever the schema was at that version, hence `any` (kysely's documented convention).
type AnyDb = Kysely<any>;

/** Rows read (and at most rewritten) per statement. */
export const REPORT_JSON_BATCH_SIZE = 500;

/**
 * Only rows whose JSON has an old name as a key are read: inside a JSON string every quote is escaped, so
 * `"deploySha":` in JSON.stringify's output is a key (the parsed value is still checked before it is rewritten).
 */
const LEGACY_KEY_PATTERN = '%"deploySha":%';
const CURRENT_KEY_PATTERN = '%"headSha":%';

/** A row that is not JSON is left for the read to report (with its error), not allowed to stop the migration. */
function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Rewrites, batch by batch, every row whose JSON matches `pattern` with `rewrite` (null: leave the row as it is). */
async function rewriteReportJson(db: AnyDb, pattern: string, rewrite: (value: unknown) => unknown | null): Promise<void> {
  let afterId = 0;
  for (;;) {
    const rows: Array<{ id: number | string; report_json: string }> = await db
      .selectFrom('reports')
      .select(['id', 'report_json'])
      .where('id', '>', afterId)
      .where('report_json', 'like', pattern)
      .orderBy('id')
      .limit(REPORT_JSON_BATCH_SIZE)
      .execute();
    for (const row of rows) {
      const rewritten = rewrite(parsedOrNull(row.report_json));
      if (rewritten !== null)
        await db
          .updateTable('reports')
          .set({ report_json: JSON.stringify(rewritten) })
          .where('id', '=', row.id)
          .execute();
    }
    if (rows.length < REPORT_JSON_BATCH_SIZE) return;
    afterId = Number(rows[rows.length - 1]?.id);
  }
}

/** Today's names back to the old ones (null base → ''), for `down`: what the previous version reads. */
function toLegacyNames(value: unknown): unknown | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isLegacyStoredReport(value)) return null;
  const names: Record<string, string> = { headSha: 'deploySha', baseSha: 'productionSha', headBranch: 'deployBranch', baseBranch: 'productionBranch' };
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [names[key] ?? key, key === 'baseSha' && field === null ? '' : field]));
}

export function createReportJsonNeutralNamesMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await rewriteReportJson(db, LEGACY_KEY_PATTERN, (value) => (isLegacyStoredReport(value) ? upgradeStoredReport(value) : null));
    },
    async down(db: AnyDb): Promise<void> {
      await rewriteReportJson(db, CURRENT_KEY_PATTERN, toLegacyNames);
    },
  };
}
