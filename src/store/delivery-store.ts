/**
 * Webhook deliveries already handled, so that a replayed or repeated delivery is acted on once. Records are
 * time-bounded: `pruneDeliveries` drops the old ones (the app calls it; a week is kept).
 */

/** What identifies a JIRA webhook delivery: its X-Atlassian-Webhook-Identifier (if any) and a hash of the signed body. */
export interface JiraDeliveryKeys {
  readonly deliveryId: string | null;
  /** Hex SHA-256 of the raw, signed body. */
  readonly bodyHash: string;
}

/** How long delivery records are kept. */
export const DELIVERY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export interface DeliveryStore {
  /** Records a GitHub webhook delivery (X-GitHub-Delivery); false when it was recorded before (a duplicate). */
  recordGithubDelivery(deliveryId: string, event: string, receivedAt: Date): Promise<boolean>;
  /** Records a JIRA webhook delivery; false when its identifier or its body hash was recorded before (a duplicate). */
  recordJiraDelivery(keys: JiraDeliveryKeys, receivedAt: Date): Promise<boolean>;
  /** Deletes GitHub and JIRA delivery records received before `before`; returns how many were deleted. */
  pruneDeliveries(before: Date): Promise<number>;
}
