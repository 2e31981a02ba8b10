/**
 * Reports stored by the previous version (before the neutral names, commit c1c5731) survive the upgrade: real JSON
 * written by the store at 87e6551 (test/fixtures/stored-report-v1-*.json) is inserted into a database migrated only
 * to 0005, as that version wrote it; opening the store migrates it to the latest version (0007 rewrites the JSON),
 * and the report is read through the store and rendered by the report page with its tickets and findings.
 * On SQLite and PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReportStore } from '../../src/store/create-report-store.js';
import { parseDatabaseUrl } from '../../src/store/database-url.js';
import { REPORT_JSON_BATCH_SIZE } from '../../src/store/migrations/0007-report-json-neutral-names.js';
import { storeMigrations } from '../../src/store/migrations/run-store-migrations.js';
import type { ReportStore } from '../../src/store/report-store.js';
import type { StoreDialect } from '../../src/store/store-database.js';
import { renderReportPage } from '../../src/web/render-report-page.js';
import { postgresBackend, sqliteBackend } from './store-test-backends.js';
import type { FreshDatabase, StoreTestBackend } from './store-test-backends.js';

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const readFixture = (name: string): Record<string, any> => JSON.parse(readFileSync(path.join(fixturesDir, name), 'utf8'));
const legacyDeploy = readFixture('stored-report-v1-deploy.json');
const legacyPullRequest = readFixture('stored-report-v1-pull-request.json');
const repo = { owner: 'acme', repo: 'payments' };
const logger = pino({ level: 'silent' });
const pageContext = { user: { login: 'dana' }, authEnabled: true, csrfToken: 'tok', notice: null, now: new Date('2026-12-01T12:00:00Z') };

// A raw connection to the test database, at whatever schema version it is (hence `any`, as in the migrations).
function openRaw(url: string): { db: Kysely<any>; dialect: StoreDialect } {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite')
    return { db: new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(target.filename) }) }), dialect: 'sqlite' };
  return {
    db: new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: target.connectionString, max: 2 }) }) }),
    dialect: 'postgres',
  };
}

/** Applies the migrations up to and including `last`, as a database of that version has them. */
async function migrateUpTo(db: Kysely<any>, dialect: StoreDialect, last: string): Promise<void> {
  const all = storeMigrations(dialect);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => all } });
  const { error } = await migrator.migrateTo(last);
  if (error !== undefined) throw error;
}

/** The row the previous version's saveReport wrote for a stored report (its columns, its JSON as it wrote it). */
function previousVersionRow(report: Record<string, any>, id?: number) {
  const keys = [...new Set([...report.tickets.map((t: { key: string }) => t.key), ...report.reverted.map((r: { key: string }) => r.key)])].sort();
  return {
    ...(id === undefined ? {} : { id }),
    owner: report.repo.owner,
    repo: report.repo.repo,
    kind: report.kind,
    pr_number: report.pullRequest?.number ?? 0,
    deploy_sha: report.deploySha ?? report.headSha,
    production_sha: report.productionSha ?? report.baseSha ?? '',
    state: report.state,
    trigger: report.trigger,
    evaluated_at: report.evaluatedAt,
    ticket_count: report.tickets.length,
    problem_count: report.findings.length,
    commit_count: report.commits.length,
    status_description: report.statusDescription,
    ticket_keys: JSON.stringify(keys),
    report_json: JSON.stringify(report),
    created_at: report.evaluatedAt,
    updated_at: report.evaluatedAt,
  };
}

/** Legacy pull-request reports 1000+n, enough to fill more than two batches of the migration. */
function legacyPullRequests(count: number): Record<string, any>[] {
  return Array.from({ length: count }, (_, i) => ({
    ...legacyPullRequest,
    pullRequest: { ...legacyPullRequest.pullRequest, number: 1000 + i },
    deploySha: (1000 + i).toString(16).padStart(40, '0'),
  }));
}

async function insertRows(db: Kysely<any>, rows: (ReturnType<typeof previousVersionRow> & { content_digest?: string })[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('reports')
      .values(rows.slice(i, i + 200))
      .execute();
}

describe.each<StoreTestBackend>([sqliteBackend, postgresBackend])('reports stored by the previous version, on $name', (backend) => {
  let database: FreshDatabase;
  let store: ReportStore | null = null;

  beforeEach(async () => {
    database = await backend.freshDatabase();
  });

  afterEach(async () => {
    await store?.close();
    store = null;
    await database.dispose();
  });

  async function withRaw<T>(use: (db: Kysely<any>, dialect: StoreDialect) => Promise<T>): Promise<T> {
    const { db, dialect } = openRaw(database.url);
    try {
      return await use(db, dialect);
    } finally {
      await db.destroy();
    }
  }

  it('are rewritten by migration 0007, read through the store and rendered by the report page', async () => {
    const fillers = legacyPullRequests(2 * REPORT_JSON_BATCH_SIZE + 7);
    // A row already in today's shape (written by this version) among them.
    const { deploySha, productionSha, deployBranch, productionBranch, ...unchanged } = legacyPullRequest;
    const current = {
      ...unchanged,
      pullRequest: { ...legacyPullRequest.pullRequest, number: 77 },
      baseBranch: 'main',
      headBranch: 'feature/x',
      baseSha: null,
      headSha: 'c'.repeat(40),
    };
    await withRaw(async (db, dialect) => {
      await migrateUpTo(db, dialect, '0005-known-repositories');
      await insertRows(
        db,
        [legacyDeploy, legacyPullRequest, current, ...fillers].map((report) => previousVersionRow(report)),
      );
    });

    store = await createReportStore({ databaseUrl: database.url, logger });

    const raw = await database.query<{ report_json: string }>('SELECT report_json FROM reports ORDER BY id');
    expect(raw).toHaveLength(3 + fillers.length);
    expect(raw.filter((row) => row.report_json.includes('"deploySha"') || row.report_json.includes('"productionSha"'))).toEqual([]);
    expect(raw[2]?.report_json).toBe(JSON.stringify(current)); // an already-new row is left byte for byte
    expect(JSON.parse(raw.at(-1)?.report_json ?? '{}')).toMatchObject({ headSha: fillers.at(-1)?.deploySha, baseSha: null });

    const deploy = await store.getReport(repo, legacyDeploy.deploySha);
    expect(deploy).toMatchObject({
      kind: 'deploy',
      headSha: legacyDeploy.deploySha,
      baseSha: legacyDeploy.productionSha,
      headBranch: 'deploy',
      baseBranch: 'production',
      state: 'failure',
    });
    expect(deploy).not.toHaveProperty('deploySha');
    expect(deploy?.tickets.map((t) => t.key)).toEqual(['PAY-1', 'PAY-2']);
    expect(deploy?.findings.map((f) => f.rule).sort()).toEqual(['commit-without-ticket', 'post-deploy-checks', 'ticket-status']);
    if (deploy === null) throw new Error('the deploy report was not found');
    const page = renderReportPage(deploy, pageContext).html;
    expect(page).toContain('acme/payments · deploy 6333fff');
    for (const ticket of deploy.tickets) expect(page).toContain(ticket.key);
    for (const finding of deploy.findings) expect(page).toContain(finding.summary.replaceAll('"', '&quot;'));
    expect(page).toContain('High: touches &lt;b&gt;billing&lt;/b&gt;');

    const pullRequest = await store.getReport(repo, legacyPullRequest.deploySha);
    expect(pullRequest).toMatchObject({
      kind: 'pull_request',
      pullRequest: { number: 42 },
      headSha: legacyPullRequest.deploySha,
      baseSha: null,
      baseBranch: 'main',
    });
    if (pullRequest === null) throw new Error('the pull-request report was not found');
    expect(renderReportPage(pullRequest, pageContext).html).toContain('acme/payments · pull request #42');
  });

  it('a row still in the old shape after the migration (missed by it) loads all the same', async () => {
    store = await createReportStore({ databaseUrl: database.url, logger });
    await withRaw(async (db) => {
      // Written after 0006, which added the evaluation identity's digest column.
      await insertRows(db, [{ ...previousVersionRow(legacyDeploy), content_digest: 'legacy:late' }]);
    });
    const [row] = await database.query<{ report_json: string }>('SELECT report_json FROM reports');
    expect(row?.report_json).toContain('"deploySha":');
    const report = await store.getReport(repo, legacyDeploy.deploySha);
    expect(report).toMatchObject({ headSha: legacyDeploy.deploySha, baseSha: legacyDeploy.productionSha, headBranch: 'deploy', baseBranch: 'production' });
    expect(report?.findings).toHaveLength(legacyDeploy.findings.length);
  });

  it('a stored report that is not a valid evaluation fails with the field named', async () => {
    store = await createReportStore({ databaseUrl: database.url, logger });
    const broken = { ...legacyDeploy, state: 'pending', findings: [{ ...legacyDeploy.findings[0], rule: 'no-such-rule' }] };
    await withRaw(async (db) => {
      await insertRows(db, [{ ...previousVersionRow(legacyDeploy), report_json: JSON.stringify(broken), content_digest: 'legacy:broken' }]);
    });
    await expect(store.getReport(repo, legacyDeploy.deploySha)).rejects.toThrow(/stored report is not a valid evaluation: .*state: .*findings\.0\.rule: /);
  });

  it('migrating down to 0005 gives the previous version its names back', async () => {
    await withRaw(async (db, dialect) => {
      await migrateUpTo(db, dialect, '0005-known-repositories');
      await insertRows(db, [previousVersionRow(legacyDeploy), previousVersionRow(legacyPullRequest)]);
      await migrateUpTo(db, dialect, '0007-report-json-neutral-names');
      await migrateUpTo(db, dialect, '0005-known-repositories');
    });
    const raw = await database.query<{ report_json: string }>('SELECT report_json FROM reports ORDER BY id');
    expect(raw.map((row) => JSON.parse(row.report_json))).toEqual([legacyDeploy, legacyPullRequest]);
  });
});
