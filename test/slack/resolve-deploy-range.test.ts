import { describe, expect, it } from 'vitest';
import { resolveDeployRange } from '../../src/slack/resolve-deploy-range.js';
import { createInMemoryAnnouncementStore } from './in-memory-announcement-store.js';
import { manualClock } from './slack-test-support.js';

const repo = { owner: 'acme', repo: 'shop' };
const [A, B, C] = ['a', 'b', 'c'].map((x) => x.repeat(40)) as [string, string, string];

async function storeWith(...ranges: [string, string][]) {
  const store = createInMemoryAnnouncementStore(manualClock());
  for (const [fromSha, toSha] of ranges) {
    await store.createAnnouncement({ repo, fromSha, toSha, channel: 'C1', rollback: false, ticketKeys: [] });
  }
  return store;
}

describe('resolveDeployRange', () => {
  it("starts the very first deploy at the push's before", async () => {
    expect(await resolveDeployRange(await storeWith(), repo, B, A)).toEqual({ fromSha: A, previous: null });
  });

  it('has no start for a first deployment_status (no before)', async () => {
    expect((await resolveDeployRange(await storeWith(), repo, B, null)).fromSha).toBeNull();
  });

  it("starts at the last announced production SHA, not the push's before", async () => {
    const r = await resolveDeployRange(await storeWith([A, B]), repo, C, 'd'.repeat(40));
    expect(r.fromSha).toBe(B);
    expect(r.previous).toMatchObject({ fromSha: A, toSha: B });
  });

  it('gives a second signal for the last announced SHA the same range', async () => {
    expect((await resolveDeployRange(await storeWith([A, B]), repo, B, null)).fromSha).toBe(A);
    expect((await resolveDeployRange(await storeWith([A, B]), repo, B.toUpperCase(), 'e'.repeat(40))).fromSha).toBe(A);
  });

  it('starts a move backwards at the current production SHA', async () => {
    expect((await resolveDeployRange(await storeWith([A, C]), repo, B, C)).fromSha).toBe(C);
  });

  it('ignores other repositories', async () => {
    const store = await storeWith([A, B]);
    expect((await resolveDeployRange(store, { owner: 'acme', repo: 'other' }, C, A)).fromSha).toBe(A);
  });
});
