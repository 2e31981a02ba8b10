/** The GitHub delivery gate: store-backed with hourly pruning of week-old records, or a bounded in-process set. */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createGitHubDeliveryGate, PRUNE_INTERVAL_MS } from '../../src/app/github-delivery-gate.js';
import { createSeenSet } from '../../src/app/bounded-seen-set.js';
import { DELIVERY_RETENTION_MS, type DeliveryStore } from '../../src/store/delivery-store.js';

const logger = pino({ level: 'silent' });

function fakeStore(options: { failRecord?: boolean } = {}) {
  const ids = new Set<string>();
  const prunes: Date[] = [];
  const store: DeliveryStore = {
    async recordGithubDelivery(id) {
      if (options.failRecord) throw new Error('database down');
      if (ids.has(id)) return false;
      ids.add(id);
      return true;
    },
    recordJiraDelivery: async () => true,
    async pruneDeliveries(before) {
      prunes.push(before);
      return 0;
    },
  };
  return { store, prunes };
}

describe('createGitHubDeliveryGate', () => {
  it('with a store: first delivery true, repeats false; prunes week-old records at most once an hour', async () => {
    let now = new Date('2026-12-01T10:00:00Z');
    const { store, prunes } = fakeStore();
    const gate = createGitHubDeliveryGate({ store, now: () => now, logger });
    expect(await gate.firstDelivery('a', 'push')).toBe(true);
    expect(await gate.firstDelivery('a', 'push')).toBe(false);
    now = new Date(now.getTime() + PRUNE_INTERVAL_MS - 1);
    expect(await gate.firstDelivery('b', 'push')).toBe(true);
    expect(prunes).toEqual([new Date(Date.parse('2026-12-01T10:00:00Z') - DELIVERY_RETENTION_MS)]);
    now = new Date(now.getTime() + 1);
    await gate.firstDelivery('c', 'push');
    expect(prunes).toHaveLength(2);
    expect(prunes[1]).toEqual(new Date(now.getTime() - DELIVERY_RETENTION_MS));
  });

  it('with a store that fails: lets the delivery through (fail open)', async () => {
    const gate = createGitHubDeliveryGate({ store: fakeStore({ failRecord: true }).store, now: () => new Date(), logger });
    expect(await gate.firstDelivery('a', 'push')).toBe(true);
    expect(await gate.firstDelivery('a', 'push')).toBe(true);
  });

  it('without a store: a bounded in-process set, each gate its own', async () => {
    const gate = createGitHubDeliveryGate({ store: null, now: () => new Date(), logger, maxInProcess: 2 });
    const other = createGitHubDeliveryGate({ store: null, now: () => new Date(), logger });
    expect(await gate.firstDelivery('a', 'push')).toBe(true);
    expect(await gate.firstDelivery('a', 'push')).toBe(false);
    expect(await other.firstDelivery('a', 'push')).toBe(true);
    await gate.firstDelivery('b', 'push');
    await gate.firstDelivery('c', 'push'); // drops 'a', the least recently seen
    expect(await gate.firstDelivery('a', 'push')).toBe(true);
  });
});

describe('createSeenSet', () => {
  it('keeps at most maxSize keys, dropping the least recently seen', () => {
    const seen = createSeenSet(2);
    expect(seen.add('x')).toBe(true);
    expect(seen.add('y')).toBe(true);
    expect(seen.add('x')).toBe(false); // x is now the most recent
    expect(seen.add('z')).toBe(true); // drops y
    expect(seen.size).toBe(2);
    expect(seen.add('x')).toBe(false);
    expect(seen.add('y')).toBe(true);
  });
});
