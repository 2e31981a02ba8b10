/**
 * The ReportStore contract, run against both backends: SQLite (a temp file) and a real PostgreSQL (see
 * postgres-global-setup.ts). Every test opens two store instances on one fresh database — `store` and `replica` —
 * like two app replicas; on PostgreSQL they start (and migrate) at the same time.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeployReport, PullRequestEvaluation } from '../../src/core/domain.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import { storeMigrations } from '../../src/store/migrations/run-store-migrations.js';
import type { ReportStore } from '../../src/store/report-store.js';
import { fakeSha, makeReport, makeReportTicket } from './fixtures.js';
import { postgresBackend, sqliteBackend } from './store-test-backends.js';
import type { FreshDatabase, StoreTestBackend } from './store-test-backends.js';

const logger = pino({ level: 'silent' });
const ACME = { owner: 'acme', repo: 'payments' } as const;
const OTHER = { owner: 'acme', repo: 'ledger' } as const;

/** 2024-05-01T10:00Z plus the given minutes, as an ISO string. */
function at(minutes: number): string {
  return new Date(Date.UTC(2024, 4, 1, 10, minutes)).toISOString();
}

/** JIRA delivery keys: an identifier (or none) and a stand-in for the body hash. */
const keys = (deliveryId: string | null, body = deliveryId ?? 'body') => ({ deliveryId, bodyHash: `hash-of-${body}` });

function pullRequestReport(number: number, overrides: Partial<PullRequestEvaluation> = {}): DeployReport {
  return makeReport({
    kind: 'pull_request',
    trigger: 'pull_request',
    pullRequest: { number, title: `PR ${number}`, url: `https://github.com/acme/payments/pull/${number}` },
    ...overrides,
  });
}

function withTickets(keys: readonly string[], overrides: Partial<DeployReport> = {}): DeployReport {
  return makeReport({ tickets: keys.map((key) => makeReportTicket(key, [fakeSha('c1')])), ...overrides });
}

describe.each<StoreTestBackend>([sqliteBackend, postgresBackend])('ReportStore on $name', (backend) => {
  let database: FreshDatabase | null = null;
  let store: ReportStore;
  let replica: ReportStore;
  let open: ReportStore[] = [];

  async function openStore(): Promise<ReportStore> {
    if (database === null) throw new Error('no database');
    const opened = await createReportStore({ databaseUrl: database.url, logger });
    open.push(opened);
    return opened;
  }

  beforeEach(async () => {
    database = await backend.freshDatabase();
    if (backend.concurrentStart) {
      [store, replica] = await Promise.all([openStore(), openStore()]);
    } else {
      store = await openStore();
      replica = await openStore();
    }
  });

  afterEach(async () => {
    const closing = open;
    open = [];
    await Promise.all(closing.map((opened) => opened.close()));
    await database?.dispose();
    database = null;
  });

  describe('migrations', () => {
    it('applies the versioned migrations exactly once, even when replicas start together', async () => {
      const rows = await database!.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name');
      expect(rows.map((row) => row.name)).toEqual(Object.keys(storeMigrations(backend.name)).sort());
    });

    it('starts again on a migrated database and keeps the data', async () => {
      const id = await store.saveReport(makeReport());
      const again = await openStore();
      const rows = await database!.query<{ name: string }>('SELECT name FROM kysely_migration');
      expect(rows).toHaveLength(Object.keys(storeMigrations(backend.name)).length);
      expect((await again.listReports(ACME, { limit: 10, offset: 0 })).items.map((item) => item.id)).toEqual([id]);
    });
  });

  describe('saveReport / getReport', () => {
    it('stores the whole report and gives it back unchanged', async () => {
      const report = makeReport({ reverted: [{ key: 'PAY-9', commitShas: [fakeSha('r1')] }] });
      const id = await store.saveReport(report);
      expect(id).toBeGreaterThan(0);
      expect(await store.getReport(ACME, report.headSha)).toEqual(report);
      expect(await replica.getReport(ACME, report.headSha)).toEqual(report);
    });

    it('returns null for an unknown SHA or another repository', async () => {
      const report = makeReport();
      await store.saveReport(report);
      expect(await store.getReport(ACME, fakeSha('unknown'))).toBeNull();
      expect(await store.getReport(OTHER, report.headSha)).toBeNull();
    });

    it('keeps a newer evaluation with other findings as a new row; the SHA gives the newest, its history both', async () => {
      const first = makeReport({ evaluatedAt: at(0), state: 'failure' });
      const newer = makeReport({ evaluatedAt: at(5), state: 'success', trigger: 'recheck', findings: [] });
      const firstId = await store.saveReport(first);
      const newerId = await store.saveReport(newer);
      expect(newerId).not.toBe(firstId);
      expect(await store.getReport(ACME, first.headSha)).toEqual(newer);
      expect(await store.getReportById(firstId)).toEqual(first);
      const { items, total } = await store.listReports(ACME, { limit: 10, offset: 0 });
      expect(total).toBe(2);
      expect(items.map((item) => [item.id, item.state])).toEqual([
        [newerId, 'success'],
        [firstId, 'failure'],
      ]);
    });

    it('stores an older evaluation that arrives late as history, and the SHA still gives the newest', async () => {
      const newer = makeReport({ evaluatedAt: at(10), state: 'success', findings: [] });
      const older = makeReport({ evaluatedAt: at(1), state: 'failure' });
      const newerId = await store.saveReport(newer);
      const olderId = await replica.saveReport(older);
      expect(olderId).not.toBe(newerId);
      expect(await store.getReport(ACME, newer.headSha)).toEqual(newer);
      expect((await store.listEvaluationsForSha(ACME, newer.headSha)).map((item) => item.id)).toEqual([newerId, olderId]);
    });

    it('keeps the stored row when the same evaluation is saved again with another time, trigger or status text', async () => {
      const first = makeReport({ evaluatedAt: at(3), statusDescription: 'first' });
      const id = await store.saveReport(first);
      expect(await store.saveReport(makeReport({ evaluatedAt: at(9), trigger: 'recheck', statusDescription: 'second' }))).toBe(id);
      expect(await store.getReport(ACME, first.headSha)).toEqual(first);
      expect((await store.listReports(ACME, { limit: 10, offset: 0 })).total).toBe(1);
    });

    it('compares evaluation times as instants, whatever offset they were written with', async () => {
      const utc = makeReport({ evaluatedAt: '2024-05-01T10:30:00.000Z', statusDescription: 'utc' });
      // 11:00+02:00 is 09:00Z: older, although it sorts after as text.
      const offset = makeReport({ evaluatedAt: '2024-05-01T11:00:00+02:00', statusDescription: 'offset' });
      await store.saveReport(utc);
      await store.saveReport(offset);
      expect((await store.getReport(ACME, utc.headSha))?.statusDescription).toBe('utc');
      const { items } = await store.listReports(ACME, { limit: 1, offset: 0 });
      expect(items[0]?.evaluatedAt).toBe('2024-05-01T10:30:00.000Z');
    });

    it('tells evaluations apart by repository, kind, pull request and head SHA', async () => {
      const sha = fakeSha('head');
      const ids = new Set([
        await store.saveReport(makeReport({ headSha: sha })),
        await store.saveReport(makeReport({ headSha: fakeSha('other head') })),
        await store.saveReport(makeReport({ headSha: sha, repo: OTHER })),
        await store.saveReport(pullRequestReport(7, { headSha: sha })),
        await store.saveReport(pullRequestReport(8, { headSha: sha })),
        await store.saveReport(pullRequestReport(7, { headSha: sha, evaluatedAt: at(9) })),
      ]);
      expect(ids.size).toBe(5);
      expect((await store.listReports(ACME, { limit: 10, offset: 0 })).total).toBe(4);
    });

    it('prefers the deploy report for a SHA, even over a newer pull request report', async () => {
      const sha = fakeSha('head');
      const deploy = makeReport({ headSha: sha, evaluatedAt: at(0) });
      await store.saveReport(pullRequestReport(4, { headSha: sha, evaluatedAt: at(20) }));
      await store.saveReport(deploy);
      expect(await store.getReport(ACME, sha)).toEqual(deploy);
    });

    it('falls back to the newest pull request report for a SHA', async () => {
      const sha = fakeSha('head');
      const newest = pullRequestReport(5, { headSha: sha, evaluatedAt: at(30) });
      await store.saveReport(pullRequestReport(4, { headSha: sha, evaluatedAt: at(20) }));
      await store.saveReport(newest);
      await store.saveReport(pullRequestReport(6, { headSha: sha, evaluatedAt: at(10) }));
      expect(await store.getReport(ACME, sha)).toEqual(newest);
    });

    it('rejects a report whose evaluation time is not a time', async () => {
      await expect(store.saveReport(makeReport({ evaluatedAt: 'yesterday-ish' }))).rejects.toThrow(/evaluatedAt/);
    });

    it('keeps exactly one row when two replicas write the same evaluation concurrently', async () => {
      const writes = Array.from({ length: 20 }, (_, index) =>
        (index % 2 === 0 ? store : replica).saveReport(withTickets(['PAY-100'], { evaluatedAt: at(index), statusDescription: `evaluation ${index}` })),
      );
      const ids = await Promise.all(writes);
      expect(new Set(ids).size).toBe(1);
      const { items, total } = await store.listReports(ACME, { limit: 10, offset: 0 });
      expect(total).toBe(1);
      expect(items[0]?.id).toBe(ids[0]);
      const indexed = await database!.query<{ ticket_key: string }>('SELECT ticket_key FROM report_tickets');
      expect(indexed.map((row) => row.ticket_key)).toEqual(['PAY-100']);
    });

    it('keeps one row per distinct evaluation when replicas write different ones concurrently', async () => {
      // Each of five evaluations is written by both replicas.
      const writes = Array.from({ length: 10 }, (_, index) =>
        (index % 2 === 0 ? store : replica).saveReport(withTickets([`PAY-${100 + Math.floor(index / 2)}`], { evaluatedAt: at(Math.floor(index / 2)) })),
      );
      const ids = await Promise.all(writes);
      expect(new Set(ids).size).toBe(5);
      expect((await store.listEvaluationsForSha(ACME, makeReport().headSha)).map((item) => item.evaluatedAt)).toEqual([at(4), at(3), at(2), at(1), at(0)]);
      expect((await store.getReport(ACME, makeReport().headSha))?.evaluatedAt).toBe(at(4));
    });
  });

  describe('lists', () => {
    it('lists every repository with its newest report, newest first', async () => {
      await store.saveReport(makeReport({ evaluatedAt: at(0), headSha: fakeSha('a1') }));
      await store.saveReport(pullRequestReport(3, { evaluatedAt: at(40), headSha: fakeSha('a2') }));
      await store.saveReport(makeReport({ evaluatedAt: at(20), headSha: fakeSha('a3') }));
      await store.saveReport(makeReport({ repo: OTHER, evaluatedAt: at(30), headSha: fakeSha('b1') }));
      await store.saveReport(makeReport({ repo: OTHER, evaluatedAt: at(10), headSha: fakeSha('b2') }));
      const repositories = await replica.listRepositories();
      expect(repositories.map((summary) => [summary.repo, summary.latest.headSha])).toEqual([
        [ACME, fakeSha('a2')],
        [OTHER, fakeSha('b1')],
      ]);
      expect(repositories[0]?.latest).toMatchObject({ kind: 'pull_request', pullRequestNumber: 3 });
    });

    it('returns no repositories for an empty store', async () => {
      expect(await store.listRepositories()).toEqual([]);
    });

    it('pages a repository history newest first, with the total', async () => {
      for (let index = 0; index < 7; index += 1) {
        await store.saveReport(makeReport({ evaluatedAt: at(index), headSha: fakeSha(`h${index}`) }));
      }
      await store.saveReport(makeReport({ repo: OTHER, evaluatedAt: at(50), headSha: fakeSha('elsewhere') }));
      const first = await store.listReports(ACME, { limit: 3, offset: 0 });
      const second = await store.listReports(ACME, { limit: 3, offset: 3 });
      const last = await store.listReports(ACME, { limit: 3, offset: 6 });
      const beyond = await store.listReports(ACME, { limit: 3, offset: 30 });
      expect([first.total, second.total, last.total, beyond.total]).toEqual([7, 7, 7, 7]);
      expect(first.items.map((item) => item.headSha)).toEqual([fakeSha('h6'), fakeSha('h5'), fakeSha('h4')]);
      expect(second.items.map((item) => item.headSha)).toEqual([fakeSha('h3'), fakeSha('h2'), fakeSha('h1')]);
      expect(last.items.map((item) => item.headSha)).toEqual([fakeSha('h0')]);
      expect(beyond.items).toEqual([]);
      expect(await store.listReports({ owner: 'acme', repo: 'nothing' }, { limit: 3, offset: 0 })).toEqual({
        items: [],
        total: 0,
      });
    });

    it('rejects a negative or fractional page', async () => {
      await expect(store.listReports(ACME, { limit: -1, offset: 0 })).rejects.toThrow(/limit/);
      await expect(store.listReports(ACME, { limit: 10, offset: 1.5 })).rejects.toThrow(/offset/);
    });

    it('describes each report in a list item', async () => {
      const report = pullRequestReport(12, {
        baseSha: fakeSha('prod'),
        headSha: fakeSha('head'),
        evaluatedAt: at(7),
        state: 'failure',
        statusDescription: '1 problem: PAY-2 has no post-deploy checks',
        highRiskKeys: [],
      });
      const id = await store.saveReport(report);
      const deploy = makeReport({ headSha: fakeSha('deploy'), state: 'error', error: 'JIRA down', evaluatedAt: at(1) });
      const deployId = await store.saveReport(deploy);
      const { items } = await store.listReports(ACME, { limit: 10, offset: 0 });
      expect(items).toEqual([
        {
          id,
          kind: 'pull_request',
          repo: ACME,
          headSha: fakeSha('head'),
          baseSha: fakeSha('prod'),
          pullRequestNumber: 12,
          trigger: 'pull_request',
          evaluatedAt: at(7),
          state: 'failure',
          ticketCount: 2,
          problemCount: 1,
          commitCount: 2,
          statusDescription: '1 problem: PAY-2 has no post-deploy checks',
          highRiskCount: 0,
        },
        expect.objectContaining({ id: deployId, kind: 'deploy', pullRequestNumber: null, state: 'error' }),
      ]);
    });
  });

  describe('ticket index', () => {
    it('finds every report that ships or reverts a ticket, newest first', async () => {
      const shipped = withTickets(['PAY-1', 'PAY-2'], { evaluatedAt: at(0), headSha: fakeSha('d1') });
      const reverted = withTickets(['PAY-3'], {
        evaluatedAt: at(10),
        headSha: fakeSha('d2'),
        reverted: [{ key: 'PAY-1', commitShas: [fakeSha('revert')] }],
      });
      const pr = pullRequestReport(2, { evaluatedAt: at(5), headSha: fakeSha('p1') });
      const unrelated = withTickets(['OPS-1'], { repo: OTHER, evaluatedAt: at(20), headSha: fakeSha('o1') });
      const [shippedId, revertedId, prId] = [await store.saveReport(shipped), await store.saveReport(reverted), await store.saveReport(pr)];
      await store.saveReport(unrelated);
      expect((await replica.reportsForTicket('PAY-1')).map((item) => item.id)).toEqual([revertedId, prId, shippedId]);
      expect((await replica.reportsForTicket('PAY-3')).map((item) => item.id)).toEqual([revertedId]);
      expect(await replica.reportsForTicket('NOPE-1')).toEqual([]);
    });

    it('lists a ticket once per report even when both shipped and reverted in it', async () => {
      const id = await store.saveReport(withTickets(['PAY-1'], { reverted: [{ key: 'PAY-1', commitShas: [fakeSha('revert')] }] }));
      expect((await store.reportsForTicket('PAY-1')).map((item) => item.id)).toEqual([id]);
    });

    it('lists a ticket by the newest evaluation of each head that contains it', async () => {
      const sha = fakeSha('head');
      const firstId = await store.saveReport(withTickets(['PAY-1', 'PAY-2'], { headSha: sha, evaluatedAt: at(0) }));
      const newestId = await store.saveReport(withTickets(['PAY-2', 'PAY-4'], { headSha: sha, evaluatedAt: at(5) }));
      const lateId = await store.saveReport(withTickets(['PAY-7'], { headSha: sha, evaluatedAt: at(1) }));
      expect((await store.reportsForTicket('PAY-1')).map((item) => item.id)).toEqual([firstId]);
      expect((await store.reportsForTicket('PAY-7')).map((item) => item.id)).toEqual([lateId]);
      expect((await store.reportsForTicket('PAY-2')).map((item) => item.id)).toEqual([newestId]);
      expect((await store.reportsForTicket('PAY-4')).map((item) => item.id)).toEqual([newestId]);
    });

    it('gives the newest deploy report per repository and the newest report per pull request', async () => {
      const key = 'PAY-1';
      const ids = {
        acmeOldDeploy: await store.saveReport(withTickets([key], { evaluatedAt: at(0), headSha: fakeSha('a0') })),
        acmeNewDeploy: await store.saveReport(withTickets([key], { evaluatedAt: at(10), headSha: fakeSha('a1') })),
        // Newer, but without the ticket: does not hide the one above.
        acmeDeployWithout: await store.saveReport(withTickets(['PAY-9'], { evaluatedAt: at(50), headSha: fakeSha('a2') })),
        ledgerDeploy: await store.saveReport(withTickets([key], { repo: OTHER, evaluatedAt: at(5), headSha: fakeSha('b0') })),
        pr5Old: await store.saveReport(pullRequestReport(5, { evaluatedAt: at(1), headSha: fakeSha('p5a'), tickets: withTickets([key]).tickets })),
        pr5New: await store.saveReport(pullRequestReport(5, { evaluatedAt: at(20), headSha: fakeSha('p5b'), tickets: withTickets([key]).tickets })),
        pr6: await store.saveReport(pullRequestReport(6, { evaluatedAt: at(15), headSha: fakeSha('p6'), tickets: withTickets([key]).tickets })),
        ledgerPr5: await store.saveReport(
          pullRequestReport(5, {
            repo: OTHER,
            evaluatedAt: at(2),
            headSha: fakeSha('q5'),
            tickets: withTickets([key]).tickets,
          }),
        ),
      };
      const latest = await replica.latestReportsForTicket(key);
      expect(latest.map((item) => item.id)).toEqual([ids.pr5New, ids.pr6, ids.acmeNewDeploy, ids.ledgerDeploy, ids.ledgerPr5]);
      expect(await replica.latestReportsForTicket('NOPE-1')).toEqual([]);
    });

    it('lists a deploy report of a release pull request once', async () => {
      const id = await store.saveReport(withTickets(['PAY-1'], { pullRequest: { number: 40, title: 'Release', url: null } }));
      expect((await store.latestReportsForTicket('PAY-1')).map((item) => [item.id, item.pullRequestNumber])).toEqual([[id, 40]]);
    });
  });

  describe('announcements', () => {
    const deploy = {
      repo: ACME,
      fromSha: fakeSha('prod'),
      toSha: fakeSha('head'),
      channel: 'C-DEPLOYS',
      rollback: false,
      ticketKeys: ['PAY-1', 'PAY-2', 'PAY-1'],
    };
    const now = new Date('2024-05-01T12:00:00.000Z');
    const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

    it('creates an announcement once per repository, range (from → to) and channel', async () => {
      const first = await store.createAnnouncement(deploy);
      expect(first.created).toBe(true);
      expect(first.record).toMatchObject({
        repo: ACME,
        fromSha: fakeSha('prod'),
        toSha: fakeSha('head'),
        channel: 'C-DEPLOYS',
        rollback: false,
        ticketKeys: ['PAY-1', 'PAY-2'],
        state: 'pending',
        messageTs: null,
        attempts: 0,
        lastError: null,
        leaseUntil: null,
        nextAttemptAt: null,
      });
      expect(new Date(first.record.createdAt).toISOString()).toBe(first.record.createdAt);
      const again = await replica.createAnnouncement({ ...deploy, ticketKeys: ['PAY-5'] });
      expect(again).toEqual({ record: first.record, created: false });
      // The same target reached from elsewhere (a rollback to a SHA announced before) is a deploy of its own.
      const rollback = await replica.createAnnouncement({ ...deploy, fromSha: fakeSha('later'), rollback: true });
      expect(rollback.created).toBe(true);
      expect(rollback.record).toMatchObject({ fromSha: fakeSha('later'), toSha: fakeSha('head'), rollback: true });
      const otherChannel = await store.createAnnouncement({ ...deploy, channel: 'C-OTHER' });
      expect(otherChannel.created).toBe(true);
      expect(otherChannel.record.id).not.toBe(first.record.id);
    });

    it('creates exactly one announcement when two replicas race to create it', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? store : replica).createAnnouncement(deploy)));
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.record.id)).size).toBe(1);
    });

    it('keeps the rollback flag', async () => {
      const { record } = await store.createAnnouncement({ ...deploy, rollback: true });
      expect(record.rollback).toBe(true);
      expect((await store.latestAnnouncement(ACME))?.rollback).toBe(true);
    });

    it('claims an announcement with a lease, refuses a second claim until the lease expires', async () => {
      const { record } = await store.createAnnouncement(deploy);
      const claimed = await store.claimAnnouncement(record.id, later(60), now);
      expect(claimed).toMatchObject({ id: record.id, leaseUntil: later(60).toISOString(), attempts: 1 });
      expect(await replica.claimAnnouncement(record.id, later(90), later(30))).toBeNull();
      expect(await replica.claimAnnouncement(record.id, later(60), later(60))).toBeNull();
      const reclaimed = await replica.claimAnnouncement(record.id, later(120), later(61));
      expect(reclaimed).toMatchObject({ leaseUntil: later(120).toISOString(), attempts: 2 });
    });

    it('lets exactly one of many racing claims win', async () => {
      const { record } = await store.createAnnouncement(deploy);
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? store : replica).claimAnnouncement(record.id, later(60), now)),
      );
      expect(claims.filter((claim) => claim !== null)).toHaveLength(1);
    });

    it('does not claim a posted announcement or an unknown id', async () => {
      const { record } = await store.createAnnouncement(deploy);
      await store.markAnnouncementPosted(record.id, '1714564800.000100');
      expect(await store.claimAnnouncement(record.id, later(60), later(3600))).toBeNull();
      expect(await store.claimAnnouncement(record.id + 1000, later(60), now)).toBeNull();
    });

    it('marks an announcement posted, and a late failure report does not undo it', async () => {
      const { record } = await store.createAnnouncement(deploy);
      await store.claimAnnouncement(record.id, later(60), now);
      await store.markAnnouncementPosted(record.id, '1714564800.000100');
      await replica.markAnnouncementFailed(record.id, 'timeout', later(30));
      const [posted] = await store.announcementsForSha(ACME, deploy.toSha);
      expect(posted).toMatchObject({
        state: 'posted',
        messageTs: '1714564800.000100',
        leaseUntil: null,
        nextAttemptAt: null,
        lastError: null,
      });
      expect(await store.listDueAnnouncements(later(3600))).toEqual([]);
    });

    it('makes a failed announcement due again once its retry time has come', async () => {
      const { record } = await store.createAnnouncement(deploy);
      await store.claimAnnouncement(record.id, later(60), now);
      await store.markAnnouncementFailed(record.id, 'slack said: ratelimited', later(300));
      expect(await store.listDueAnnouncements(later(10))).toEqual([]);
      expect(await store.listDueAnnouncements(later(299))).toEqual([]);
      const due = await replica.listDueAnnouncements(later(300));
      expect(due).toHaveLength(1);
      expect(due[0]).toMatchObject({
        id: record.id,
        state: 'failed',
        lastError: 'slack said: ratelimited',
        leaseUntil: null,
        nextAttemptAt: later(300).toISOString(),
        attempts: 1,
      });
      expect(await replica.claimAnnouncement(record.id, later(360), later(300))).toMatchObject({ attempts: 2 });
    });

    it('lists pending announcements as due unless a live lease holds them', async () => {
      const a = (await store.createAnnouncement(deploy)).record;
      const b = (await store.createAnnouncement({ ...deploy, channel: 'C-2' })).record;
      const c = (await store.createAnnouncement({ ...deploy, channel: 'C-3' })).record;
      await store.claimAnnouncement(b.id, later(60), now);
      await store.claimAnnouncement(c.id, later(60), now);
      await store.markAnnouncementPosted(c.id, '1.2');
      expect((await store.listDueAnnouncements(later(1))).map((record) => record.id)).toEqual([a.id]);
      expect((await store.listDueAnnouncements(later(61))).map((record) => record.id)).toEqual([a.id, b.id]);
    });

    it('keeps only the start of a very long error', async () => {
      const { record } = await store.createAnnouncement(deploy);
      await store.markAnnouncementFailed(record.id, 'x'.repeat(10_000), later(1));
      const [failed] = await store.announcementsForSha(ACME, deploy.toSha);
      expect(failed?.lastError?.length).toBeLessThan(10_000);
      expect(failed?.lastError?.startsWith('xxxx')).toBe(true);
    });

    it('gives the newest announcement of a repository', async () => {
      expect(await store.latestAnnouncement(ACME)).toBeNull();
      await store.createAnnouncement({ ...deploy, toSha: fakeSha('one') });
      const newest = await replica.createAnnouncement({ ...deploy, toSha: fakeSha('two'), channel: 'C-2' });
      await store.createAnnouncement({ ...deploy, repo: OTHER, toSha: fakeSha('three') });
      expect(await store.latestAnnouncement(ACME)).toEqual(newest.record);
    });

    it('finds announcements by ticket and by target SHA, newest first', async () => {
      const one = (await store.createAnnouncement({ ...deploy, toSha: fakeSha('one'), ticketKeys: ['PAY-1'] })).record;
      const two = (await store.createAnnouncement({ ...deploy, toSha: fakeSha('two'), ticketKeys: ['PAY-1', 'PAY-2'] })).record;
      const twoElsewhere = (await store.createAnnouncement({ ...deploy, toSha: fakeSha('two'), channel: 'C-2', ticketKeys: ['PAY-2'] })).record;
      const rollback = (await store.createAnnouncement({ ...deploy, repo: OTHER, toSha: fakeSha('one'), rollback: true, ticketKeys: ['PAY-1'] })).record;
      expect((await replica.announcementsForTicket('PAY-1')).map((record) => record.id)).toEqual([rollback.id, two.id, one.id]);
      expect((await replica.announcementsForTicket('PAY-2')).map((record) => record.id)).toEqual([twoElsewhere.id, two.id]);
      expect(await replica.announcementsForTicket('NOPE-1')).toEqual([]);
      expect((await replica.announcementsForSha(ACME, fakeSha('two'))).map((record) => record.id)).toEqual([twoElsewhere.id, two.id]);
      expect(await replica.announcementsForSha(ACME, fakeSha('none'))).toEqual([]);
    });
  });

  describe('JIRA deliveries', () => {
    it('records a delivery once and reports duplicates', async () => {
      const when = new Date('2024-05-01T12:00:00.000Z');
      expect(await store.recordJiraDelivery(keys('delivery-1'), when)).toBe(true);
      expect(await replica.recordJiraDelivery(keys('delivery-1'), when)).toBe(false);
      expect(await store.recordJiraDelivery(keys('delivery-1'), new Date(when.getTime() + 1000))).toBe(false);
      expect(await store.recordJiraDelivery(keys('delivery-2'), when)).toBe(true);
    });

    it('treats the same signed body with a fresh or no identifier as a duplicate, and the same identifier with another body too', async () => {
      const when = new Date('2024-05-01T12:00:00.000Z');
      expect(await store.recordJiraDelivery(keys('id-1', 'body-1'), when)).toBe(true);
      expect(await store.recordJiraDelivery(keys('id-2', 'body-1'), when)).toBe(false);
      expect(await replica.recordJiraDelivery(keys(null, 'body-1'), when)).toBe(false);
      expect(await store.recordJiraDelivery(keys('id-1', 'body-2'), when)).toBe(false);
      expect(await store.recordJiraDelivery(keys(null, 'body-3'), when)).toBe(true);
      expect(await replica.recordJiraDelivery(keys(null, 'body-3'), when)).toBe(false);
    });

    it('lets exactly one of two replicas record the same delivery at once', async () => {
      const when = new Date('2024-05-01T12:00:00.000Z');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? store : replica).recordJiraDelivery(keys(`dup-${index}`, 'dup'), when)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('GitHub deliveries', () => {
    it('records a delivery id once; a replica sees it as a duplicate', async () => {
      const when = new Date('2024-05-01T12:00:00.000Z');
      expect(await store.recordGithubDelivery('gh-1', 'push', when)).toBe(true);
      expect(await replica.recordGithubDelivery('gh-1', 'push', when)).toBe(false);
      expect(await store.recordGithubDelivery('gh-2', 'push', when)).toBe(true);
    });

    it('lets exactly one of two replicas record the same delivery at once', async () => {
      const when = new Date('2024-05-01T12:00:00.000Z');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? store : replica).recordGithubDelivery('gh-dup', 'pull_request', when)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('prunes GitHub and JIRA records received before the cut-off, and only those', async () => {
      const old = new Date('2024-04-20T12:00:00.000Z');
      const recent = new Date('2024-05-01T12:00:00.000Z');
      await store.recordGithubDelivery('gh-old', 'push', old);
      await store.recordGithubDelivery('gh-new', 'push', recent);
      await store.recordJiraDelivery(keys('jira-old'), old);
      await store.recordJiraDelivery(keys('jira-new'), recent);
      expect(await store.pruneDeliveries(new Date('2024-04-24T12:00:00.000Z'))).toBe(2);
      expect(await store.recordGithubDelivery('gh-old', 'push', recent)).toBe(true);
      expect(await store.recordJiraDelivery(keys('jira-old'), recent)).toBe(true);
      expect(await store.recordGithubDelivery('gh-new', 'push', recent)).toBe(false);
      expect(await store.recordJiraDelivery(keys('jira-new'), recent)).toBe(false);
    });
  });

  describe('close', () => {
    it('releases the database: the closed store no longer answers, the other replica still does', async () => {
      await store.saveReport(makeReport());
      const closing = store;
      open = open.filter((opened) => opened !== closing);
      await closing.close();
      await expect(closing.listRepositories()).rejects.toThrow();
      expect(await replica.listRepositories()).toHaveLength(1);
    });
  });
});
