import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { startWebSessionPruner } from '../../src/web/session-pruner.js';

describe('web session pruner', () => {
  it('prunes with the current time, survives a failing store, and stops on shutdown', async () => {
    const now = new Date('2024-05-02T10:00:00.000Z');
    const pruneWebSessions = vi
      .fn<(at: Date) => Promise<{ sessions: number; rateLimits: number }>>()
      .mockResolvedValueOnce({ sessions: 2, rateLimits: 1 })
      .mockRejectedValueOnce(new Error('database away'));
    const shutdown = new AbortController();
    const clearSpy = vi.spyOn(globalThis, 'clearInterval');
    const pruner = startWebSessionPruner({
      store: { pruneWebSessions },
      intervalMs: 3_600_000,
      logger: pino({ level: 'silent' }),
      now: () => now,
      shutdown: shutdown.signal,
    });
    await pruner.pruneOnce();
    await expect(pruner.pruneOnce()).resolves.toBeUndefined();
    expect(pruneWebSessions).toHaveBeenCalledWith(now);
    shutdown.abort();
    expect(clearSpy).toHaveBeenCalledTimes(1);
    clearSpy.mockRestore();
  });
});
