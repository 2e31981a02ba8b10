/**
 * Evaluation history on both backends: evaluations are immutable rows identified by what they compared and saw;
 * retention empties the commit lists of superseded, unshipped old ones in batches; a database from before
 * migration 0006 keeps loading and listing its reports.
 */
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createReportStore } from '../../src/store/create-report-store.js';
import { storeMigrations } from '../../src/store/migrations/run-store-migrations.js';
import type { ReportStore } from '../../src/store/report-store.js';
import { fakeSha, makeReport, makeTicket } from './fixtures.js';
import { postgresBackend, sqliteBackend, type FreshDatabase } from './store-test-backends.js';

const logger = pino({ level: 'silent' });
const ACME = { owner: 'acme', repo: 'payments' } as const;
const at = (minutes: number) => new Date(Date.UTC(2024, 4, 1, 10, minutes)).toISOString();

describe.each([sqliteBackend, postgresBackend])('evaluation history on $name', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function database(): Promise<FreshDatabase> {
    const fresh = await backend.freshDatabase();
    cleanups.push(() => fresh.dispose());
    return fresh;
  }

  async function open(fresh?: FreshDatabase): Promise<ReportStore> {
    const db = fresh ?? (await database());
    const opened = await createReportStore({ databaseUrl: db.url, logger });
    cleanups.push(() => opened.close());
    return opened;
  }

  describe('immutable evaluations', () => {
    it('saves the same inputs once: same id, one row, the first row untouched', async () => {
      const store = await open();
      const report = makeReport({ evaluatedAt: at(0), trigger: 'push' });
      const id = await store.saveReport(report);
      expect(await store.saveReport(makeReport({ evaluatedAt: at(30), trigger: 'jira', statusDescription: 'another text' }))).toBe(id);
      expect(await store.listEvaluationsForSha(ACME, report.headSha)).toHaveLength(1);
      expect(await store.getReportById(id)).toEqual(report);
    });

    it('keeps a new evaluation when a ticket status changed: the SHA gives the newest, its evaluations list both', async () => {
      const store = await open();
      const base = makeReport({ evaluatedAt: at(0) });
      const failing = makeReport({
        evaluatedAt: at(0),
        tickets: [base.tickets[0]!, { ...base.tickets[1]!, ticket: makeTicket('PAY-2', { status: 'In Progress' }) }],
      });
      const fixed = makeReport({ evaluatedAt: at(5), state: 'success', findings: [], trigger: 'jira', highRiskKeys: ['PAY-1', 'PAY-2'] });
      const failingId = await store.saveReport(failing);
      const fixedId = await store.saveReport(fixed);
      expect(fixedId).not.toBe(failingId);
      expect(await store.getReport(ACME, base.headSha)).toEqual(fixed);
      const evaluations = await store.listEvaluationsForSha(ACME, base.headSha);
      expect(evaluations.map((item) => [item.id, item.state, item.highRiskCount])).toEqual([
        [fixedId, 'success', 2],
        [failingId, 'failure', 0],
      ]);
    });

    it('stores an outcome that comes back (A, B, A) as a new row, so the SHA gives the current one; repeats add nothing', async () => {
      const store = await open();
      const failing = makeReport({ evaluatedAt: at(0) });
      const passing = makeReport({ evaluatedAt: at(1), state: 'success', findings: [] });
      const a = await store.saveReport(failing);
      const b = await store.saveReport(passing);
      const again = await store.saveReport(makeReport({ evaluatedAt: at(2) }));
      expect(new Set([a, b, again]).size).toBe(3);
      expect((await store.getReport(ACME, failing.headSha))?.evaluatedAt).toBe(at(2));
      // The same outcome once more, from two replicas at once: still the row of its latest occurrence.
      const repeats = await Promise.all([store.saveReport(makeReport({ evaluatedAt: at(3) })), store.saveReport(makeReport({ evaluatedAt: at(4) }))]);
      expect(repeats).toEqual([again, again]);
      // A late copy of an older evaluation changes nothing.
      expect(await store.saveReport(makeReport({ evaluatedAt: at(1), state: 'success', findings: [] }))).toBe(b);
      expect((await store.listEvaluationsForSha(ACME, failing.headSha)).map((item) => [item.id, item.state])).toEqual([
        [again, 'failure'],
        [b, 'success'],
        [a, 'failure'],
      ]);
    });

    it('keeps another evaluation when production moved (another base SHA), even with the same findings', async () => {
      const store = await open();
      const first = await store.saveReport(makeReport({ baseSha: fakeSha('prod-a'), evaluatedAt: at(0) }));
      const second = await store.saveReport(makeReport({ baseSha: fakeSha('prod-b'), evaluatedAt: at(1) }));
      expect(second).not.toBe(first);
      expect((await store.getReport(ACME, makeReport().headSha))?.baseSha).toBe(fakeSha('prod-b'));
    });

    it('answers null for an unknown id', async () => {
      const store = await open();
      expect(await store.getReportById(12345)).toBeNull();
      expect(await store.getReportById(-1)).toBeNull();
    });
  });

  describe('retention of commit lists', () => {
    it('empties the commits of old superseded evaluations, keeping the newest per head and those a shipment names', async () => {
      const store = await open();
      const head = fakeSha('head');
      const oldest = await store.saveReport(makeReport({ headSha: head, evaluatedAt: at(0), statusDescription: 'a', state: 'error', findings: [] }));
      const shippedOne = await store.saveReport(makeReport({ headSha: head, evaluatedAt: at(1), baseSha: fakeSha('p2') }));
      const newest = await store.saveReport(makeReport({ headSha: head, evaluatedAt: at(2), baseSha: fakeSha('p3') }));
      const otherHead = await store.saveReport(makeReport({ headSha: fakeSha('other'), evaluatedAt: at(0) }));
      const recent = await store.saveReport(makeReport({ headSha: head, evaluatedAt: at(50), baseSha: fakeSha('p4') }));
      await store.recordShipment({
        repo: ACME,
        fromSha: fakeSha('p2'),
        toSha: head,
        source: 'push',
        environment: null,
        shippedBy: null,
        shippedAt: at(3),
        evaluationId: shippedOne,
        checkState: 'failure',
        problemCount: 1,
        problems: ['PAY-2 has no post-deploy checks'],
        ticketKeys: ['PAY-1', 'PAY-2'],
        highRiskKeys: [],
        rollback: false,
      });

      // Cut-off at 10:30: `recent` is too young; of the rest only `oldest` and `newest`(-at-2, superseded by `recent`) qualify.
      expect(await store.pruneEvaluationCommits(new Date(at(30)), 1)).toBe(1);
      expect(await store.pruneEvaluationCommits(new Date(at(30)), 200)).toBe(1);
      expect(await store.pruneEvaluationCommits(new Date(at(30)), 200)).toBe(0);

      for (const id of [oldest, newest]) {
        const pruned = await store.getReportById(id);
        expect(pruned?.commits).toEqual([]);
        expect(pruned?.commitsPruned).toBe(true);
        expect(pruned?.tickets).toHaveLength(2);
      }
      for (const id of [shippedOne, otherHead, recent]) {
        const kept = await store.getReportById(id);
        expect(kept?.commits).toHaveLength(2);
        expect(kept?.commitsPruned).toBeUndefined();
      }
      // The list still says how many commits the evaluation had.
      expect((await store.listEvaluationsForSha(ACME, head)).find((item) => item.id === oldest)?.commitCount).toBe(2);
    });
  });

  it('migrates a database created at migration 0005: old rows keep loading and listing, new evaluations are added beside them', async () => {
    const fresh = await database();
    const old = oldDatabase(backend.name, fresh.url);
    const migrations = storeMigrations(backend.name);
    const until0005 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0006'));
    const migrated = await new Migrator({ db: old, provider: { getMigrations: async () => until0005 } }).migrateToLatest();
    expect(migrated.error).toBeUndefined();
    const legacy = makeReport({ evaluatedAt: at(0) });
    const row = (report: typeof legacy, prNumber: number) => ({
      owner: report.repo.owner,
      repo: report.repo.repo,
      kind: report.kind,
      pr_number: prNumber,
      deploy_sha: report.headSha,
      production_sha: report.baseSha ?? '',
      state: report.state,
      trigger: report.trigger,
      evaluated_at: report.evaluatedAt,
      ticket_count: report.tickets.length,
      problem_count: report.findings.length,
      commit_count: report.commits.length,
      status_description: report.statusDescription,
      ticket_keys: JSON.stringify(report.tickets.map((t) => t.key)),
      report_json: JSON.stringify(report),
      created_at: report.evaluatedAt,
      updated_at: report.evaluatedAt,
    });
    const legacyPr = makeReport({ evaluatedAt: at(1), kind: 'pull_request', pullRequest: { number: 4, title: 'PR', url: null } });
    await old
      .insertInto('reports')
      .values([row(legacy, 0), row(legacyPr, 4)])
      .execute();
    const legacyIds = (await old.selectFrom('reports').select('id').orderBy('id').execute()).map((r) => Number(r.id));
    await old.destroy();

    const store = await open(fresh);
    expect(await store.getReport(ACME, legacy.headSha)).toEqual(legacy);
    expect(await store.getReportById(legacyIds[1]!)).toEqual(legacyPr);
    expect((await store.listReports(ACME, { limit: 10, offset: 0 })).items.map((item) => [item.id, item.highRiskCount])).toEqual([
      [legacyIds[1], 0],
      [legacyIds[0], 0],
    ]);
    expect((await store.reportsForTicket('PAY-1')).map((item) => item.id)).toEqual([legacyIds[1], legacyIds[0]]);
    const newer = makeReport({ evaluatedAt: at(9), state: 'success', findings: [] });
    const newId = await store.saveReport(newer);
    expect(legacyIds).not.toContain(newId);
    expect(await store.getReport(ACME, legacy.headSha)).toEqual(newer);
    expect(await store.saveReport(newer)).toBe(newId);
    expect((await store.listEvaluationsForSha(ACME, legacy.headSha)).map((item) => item.id)).toEqual([newId, legacyIds[1], legacyIds[0]]);
  });
});

/** A kysely instance on the database as it was at migration 0005 (any: that schema has no type here). */
function oldDatabase(dialect: 'sqlite' | 'postgres', url: string): Kysely<any> {
  if (dialect === 'sqlite') {
    const database = new Database(url.slice('sqlite:'.length));
    database.pragma('foreign_keys = ON');
    return new Kysely({ dialect: new SqliteDialect({ database }) });
  }
  return new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
}
