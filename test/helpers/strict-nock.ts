/**
 * Strict HTTP mocking (renovate-style): no real network except loopback, every unmatched request is recorded
 * and fails the test, and every declared mock must be used.
 */
import nock from 'nock';
import { afterEach, beforeEach, expect } from 'vitest';

export function useStrictNock(): { unmatched: string[] } {
  const state = { unmatched: [] as string[] };
  const onNoMatch = (req: { method?: string; href?: string; path?: string; options?: { href?: string } }) => {
    const where = req.href ?? req.options?.href ?? '';
    if (/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(where)) return; // loopback passes through
    state.unmatched.push(`${req.method ?? '?'} ${req.href ?? req.options?.href ?? req.path ?? '?'}`);
  };
  beforeEach(() => {
    state.unmatched.length = 0;
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
    nock.emitter.on('no match', onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    expect(state.unmatched, 'requests that no mock matched').toEqual([]);
    expect(pending, 'mocks that were never used').toEqual([]);
  });
  return state;
}
