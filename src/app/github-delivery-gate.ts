/**
 * De-duplicates GitHub webhook deliveries by X-GitHub-Delivery (Probot's `context.id`): the store's
 * github_deliveries when there is a store (shared by replicas, kept a week), else a bounded in-process set.
 * Old store records are pruned at most once an hour, piggybacking on deliveries (no timer).
 */
import type { Logger } from 'pino';
import { DELIVERY_RETENTION_MS, type DeliveryStore } from '../store/delivery-store.js';
import { createSeenSet } from './bounded-seen-set.js';

export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export interface DeliveryGate {
  /** True the first time a delivery id is seen; false for a repeat. */
  firstDelivery(deliveryId: string, event: string): Promise<boolean>;
}

export function createGitHubDeliveryGate(deps: {
  store: DeliveryStore | null;
  now: () => Date;
  logger: Logger;
  /** Size of the in-process set used without a store. */
  maxInProcess?: number;
}): DeliveryGate {
  const { store, now, logger } = deps;
  if (!store) {
    const seen = createSeenSet(deps.maxInProcess ?? 10_000);
    return { firstDelivery: async (deliveryId) => seen.add(deliveryId) };
  }
  let lastPrune: number | null = null;
  const pruneIfDue = (at: Date) => {
    if (lastPrune !== null && at.getTime() - lastPrune < PRUNE_INTERVAL_MS) return;
    lastPrune = at.getTime();
    store.pruneDeliveries(new Date(at.getTime() - DELIVERY_RETENTION_MS)).then(
      (deleted) => logger.debug({ deleted }, 'old webhook delivery records pruned'),
      (err: unknown) => logger.warn({ err }, 'pruning webhook delivery records failed'),
    );
  };
  return {
    async firstDelivery(deliveryId, event) {
      const at = now();
      pruneIfDue(at);
      try {
        return await store.recordGithubDelivery(deliveryId, event, at);
      } catch (err) {
        // Fail open: a store outage must not drop webhooks; at worst a repeat is checked twice.
        logger.warn({ err, deliveryId, event }, 'could not record the webhook delivery: handling it anyway');
        return true;
      }
    },
  };
}
