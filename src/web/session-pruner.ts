/**
 * Deletes expired web sessions and ended rate-limit windows from the store now and then. Expiry is enforced on
 * every read anyway (WebSessionStore.getWebSession); this only keeps the tables small.
 */
import type { Logger } from 'pino';
import type { WebSessionStore } from '../store/session-store.js';

export function startWebSessionPruner(options: {
  store: Pick<WebSessionStore, 'pruneWebSessions'>;
  intervalMs: number;
  logger: Logger;
  now: () => Date;
  shutdown?: AbortSignal;
}): { pruneOnce(): Promise<void>; stop(): void } {
  const log = options.logger.child({ component: 'web-session-pruner' });
  const pruneOnce = async (): Promise<void> => {
    try {
      const pruned = await options.store.pruneWebSessions(options.now());
      if (pruned.sessions > 0 || pruned.rateLimits > 0) log.info(pruned, 'pruned expired web sessions and rate-limit windows');
    } catch (err) {
      log.warn({ err }, 'pruning web sessions failed; trying again later');
    }
  };
  const timer = setInterval(() => void pruneOnce(), options.intervalMs);
  timer.unref();
  const stop = (): void => clearInterval(timer);
  options.shutdown?.addEventListener('abort', stop, { once: true });
  return { pruneOnce, stop };
}
