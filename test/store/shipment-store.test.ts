/**
 * ShipmentStore and the /deploys overview on both backends: shipments recorded once per (repo, from, to), listed by
 * time window, repository and flag with a total, found by ticket; overviews with their pending deploy and last
 * shipment, filtered and paged.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/core/domain.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';
import type { ShipmentInput } from '../../src/store/shipment-store.js';
import { fakeSha, makeReport } from './fixtures.js';
import { postgresBackend, sqliteBackend } from './store-test-backends.js';

const logger = pino({ level: 'silent' });
const SHOP = { owner: 'acme', repo: 'shop' } as const;
const API = { owner: 'acme', repo: 'api' } as const;

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 10, minutes)).toISOString();

function shipment(overrides: Partial<ShipmentInput> = {}): ShipmentInput {
  return {
    repo: SHOP,
    fromSha: fakeSha('prod-1'),
    toSha: fakeSha('prod-2'),
    source: 'push',
    environment: null,
    shippedBy: 'dana',
    shippedAt: at(0),
    evaluationId: null,
    checkState: 'success',
    problemCount: 0,
    problems: [],
    ticketKeys: ['PAY-1'],
    highRiskKeys: [],
    rollback: false,
    ...overrides,
  };
}

const deploy = (repo: { owner: string; repo: string }, head: string, minutes: number, overrides: Partial<DeployReport> = {}) =>
  makeReport({ repo, headSha: fakeSha(head), evaluatedAt: at(minutes), ...overrides });

describe.each([sqliteBackend, postgresBackend])('shipments on $name', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function open(): Promise<ReportStore> {
    const database = await backend.freshDatabase();
    const opened = await createReportStore({ databaseUrl: database.url, logger });
    cleanups.push(async () => {
      await opened.close();
      await database.dispose();
    });
    return opened;
  }

  it('records a shipment once per repository, from and to (an unknown from counts as one value), also under a race', async () => {
    const store = await open();
    const first = await store.recordShipment(shipment({ problems: ['PAY-1 is In Progress'], problemCount: 1, checkState: 'failure' }));
    expect(first.created).toBe(true);
    expect(first.record).toMatchObject({ kind: 'shipment', repo: SHOP, checkState: 'failure', problemCount: 1, problems: ['PAY-1 is In Progress'] });
    const again = await store.recordShipment(shipment({ shippedAt: at(5), checkState: 'success' }));
    expect(again).toEqual({ record: first.record, created: false });
    // A rollback to the same target from elsewhere is a move of its own.
    expect((await store.recordShipment(shipment({ fromSha: fakeSha('prod-3'), rollback: true }))).created).toBe(true);

    const racing = await Promise.all(Array.from({ length: 6 }, () => store.recordShipment(shipment({ fromSha: null, toSha: fakeSha('prod-9') }))));
    expect(racing.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(racing.map((result) => result.record.id)).size).toBe(1);
    expect(racing[0]?.record.fromSha).toBeNull();
    expect((await store.listShipments({ limit: 10, offset: 0 })).total).toBe(3);
  });

  it('rejects a shipment that does not fit the record schema', async () => {
    const store = await open();
    await expect(store.recordShipment(shipment({ toSha: 'not-a-sha' }))).rejects.toThrow(/full lower-case commit SHA/);
  });

  it('lists shipments newest first by time window, repository and flag, paged with the total', async () => {
    const store = await open();
    const ids: Record<string, number> = {};
    for (const [name, input] of [
      ['shop0', shipment({ shippedAt: at(0), toSha: fakeSha('s0') })],
      ['shop1', shipment({ shippedAt: at(10), toSha: fakeSha('s1'), checkState: 'failure', problemCount: 2 })],
      ['api1', shipment({ repo: API, shippedAt: at(20), toSha: fakeSha('a1'), checkState: 'never-checked' })],
      ['shop2', shipment({ shippedAt: at(30), toSha: fakeSha('s2'), checkState: 'error' })],
      ['api2', shipment({ repo: API, shippedAt: at(40), toSha: fakeSha('a2'), checkState: 'success', problemCount: 1 })],
    ] as const) {
      ids[name] = (await store.recordShipment(input)).record.id;
    }
    const page = (filter: Parameters<ReportStore['listShipments']>[0]) =>
      store.listShipments(filter).then(({ items, total }) => ({ ids: items.map((item) => item.id), total }));

    expect(await page({ limit: 2, offset: 0 })).toEqual({ ids: [ids['api2'], ids['shop2']], total: 5 });
    expect(await page({ limit: 2, offset: 4 })).toEqual({ ids: [ids['shop0']], total: 5 });
    expect(await page({ since: at(10), until: at(40), limit: 10, offset: 0 })).toEqual({ ids: [ids['shop2'], ids['api1'], ids['shop1']], total: 3 });
    expect(await page({ repo: SHOP, limit: 10, offset: 0 })).toEqual({ ids: [ids['shop2'], ids['shop1'], ids['shop0']], total: 3 });
    expect(await page({ withProblemsOnly: true, limit: 2, offset: 0 })).toEqual({ ids: [ids['api2'], ids['shop2']], total: 3 });
    expect(await page({ withProblemsOnly: true, repo: SHOP, limit: 10, offset: 0 })).toEqual({ ids: [ids['shop2'], ids['shop1']], total: 2 });
    expect((await store.latestShipment(API))?.id).toBe(ids['api2']);
    expect(await store.latestShipment({ owner: 'acme', repo: 'none' })).toBeNull();
    expect((await store.shipmentsForSha(SHOP, fakeSha('s1'))).map((item) => item.id)).toEqual([ids['shop1']]);
  });

  it('finds the shipments that carried a ticket, newest first', async () => {
    const store = await open();
    const older = await store.recordShipment(shipment({ shippedAt: at(1), toSha: fakeSha('t1'), ticketKeys: ['PAY-1', 'PAY-2', 'PAY-2'] }));
    const newer = await store.recordShipment(shipment({ repo: API, shippedAt: at(2), toSha: fakeSha('t2'), ticketKeys: ['PAY-2'] }));
    expect(older.record.ticketKeys).toEqual(['PAY-1', 'PAY-2']);
    expect((await store.shipmentsForTicket('PAY-2')).map((item) => item.id)).toEqual([newer.record.id, older.record.id]);
    expect((await store.shipmentsForTicket('PAY-1')).map((item) => item.id)).toEqual([older.record.id]);
    expect(await store.shipmentsForTicket('PAY-404')).toEqual([]);
  });

  describe('repository overviews', () => {
    it('gives each repository its newest evaluation, the deploy production has not reached yet, and the last shipment', async () => {
      const store = await open();
      // shop: h1 evaluated, shipped at 10; h2 evaluated after (pending); a pull request is the newest activity.
      await store.saveReport(deploy(SHOP, 'h1', 0));
      const shipped = await store.recordShipment(shipment({ toSha: fakeSha('h1'), shippedAt: at(10) }));
      const pendingId = await store.saveReport(deploy(SHOP, 'h2', 20, { state: 'failure', highRiskKeys: ['PAY-2'] }));
      const prId = await store.saveReport(
        deploy(SHOP, 'p1', 30, { kind: 'pull_request', pullRequest: { number: 3, title: 'PR', url: null }, state: 'success', findings: [] }),
      );
      // api: its deploy head shipped; a re-evaluation of the shipped head after the move is not pending.
      await store.saveReport(deploy(API, 'a1', 1, { state: 'success', findings: [] }));
      const apiShipped = await store.recordShipment(shipment({ repo: API, toSha: fakeSha('a1'), shippedAt: at(5), checkState: 'failure', problemCount: 1 }));
      const apiLatest = await store.saveReport(deploy(API, 'a1', 7, { state: 'failure' }));

      const { items, total } = await store.listRepositoryOverviews({ limit: 10, offset: 0 });
      expect(total).toBe(2);
      expect(items.map((item) => [item.repo.repo, item.latest.id, item.pendingDeploy?.id ?? null, item.lastShipment?.id ?? null])).toEqual([
        ['shop', prId, pendingId, shipped.record.id],
        ['api', apiLatest, null, apiShipped.record.id],
      ]);
      expect(items[0]?.pendingDeploy).toMatchObject({ state: 'failure', highRiskCount: 1 });
    });

    it('filters by the state of the pending deploy, by a flagged last shipment and by repository, with paging and a total', async () => {
      const store = await open();
      const repos = ['shop', 'api', 'web_app', 'webXapp', 'billing'].map((repo) => ({ owner: 'acme', repo }));
      for (const [index, repo] of repos.entries()) {
        await store.saveReport(deploy(repo, `${repo}-h`, index, index % 2 === 0 ? { state: 'failure' } : { state: 'success', findings: [] }));
      }
      await store.recordShipment(shipment({ repo: repos[4]!, toSha: fakeSha('old'), shippedAt: at(-5), checkState: 'error' }));

      const names = (result: { items: { repo: { repo: string } }[]; total: number }) => ({ repos: result.items.map((i) => i.repo.repo), total: result.total });
      expect(names(await store.listRepositoryOverviews({ state: 'failure', limit: 10, offset: 0 }))).toEqual({
        repos: ['billing', 'web_app', 'shop'],
        total: 3,
      });
      expect(names(await store.listRepositoryOverviews({ state: 'failure', limit: 1, offset: 1 }))).toEqual({ repos: ['web_app'], total: 3 });
      expect(names(await store.listRepositoryOverviews({ state: 'success', limit: 10, offset: 0 }))).toEqual({ repos: ['webXapp', 'api'], total: 2 });
      expect(names(await store.listRepositoryOverviews({ state: 'shipped-with-problems', limit: 10, offset: 0 }))).toEqual({ repos: ['billing'], total: 1 });
      // "_" is a literal underscore, not LIKE's any-character; the match ignores case and covers the owner.
      expect(names(await store.listRepositoryOverviews({ repoContains: 'WEB_', limit: 10, offset: 0 }))).toEqual({ repos: ['web_app'], total: 1 });
      expect(names(await store.listRepositoryOverviews({ repoContains: 'acme/s', limit: 10, offset: 0 }))).toEqual({ repos: ['shop'], total: 1 });
      expect(names(await store.listRepositoryOverviews({ repoContains: '%', limit: 10, offset: 0 }))).toEqual({ repos: [], total: 0 });
      expect(names(await store.listRepositoryOverviews({ limit: 2, offset: 0 }))).toEqual({ repos: ['billing', 'webXapp'], total: 5 });
    });
  });
});
