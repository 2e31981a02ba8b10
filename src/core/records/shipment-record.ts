/**
 * A shipment: production moved (a push to the production branch, or a successful deployment_status) from one
 * SHA to another. Recorded once per (repository, from, to), whatever Slack does, and kept forever (retention
 * never prunes shipments). The schema gives the type, validates stored rows and feeds the published JSON Schema.
 */
import { z } from 'zod';

const sha = z.string().regex(/^[0-9a-f]{40}$/, 'must be a full lower-case commit SHA');

/** How the deploy check of the shipped SHA stood when it shipped. */
export const shippedCheckStateSchema = z.enum(['success', 'failure', 'error', 'never-checked']);

export const shipmentRecordSchema = z.object({
  kind: z.literal('shipment'),
  id: z.number().int().nonnegative(),
  repo: z.object({ owner: z.string().min(1), repo: z.string().min(1) }),
  /** Production before the move; null when unknown (the first shipment seen). */
  fromSha: sha.nullable(),
  toSha: sha,
  source: z.enum(['push', 'deployment_status']),
  /** Deployment environment, for deployment_status shipments. */
  environment: z.string().nullable(),
  /** GitHub login of who pushed or deployed, when known. */
  shippedBy: z.string().nullable(),
  /** ISO 8601. */
  shippedAt: z.string(),
  /** The stored deploy evaluation that was current for `toSha` when it shipped; null: never checked. */
  evaluationId: z.number().int().nonnegative().nullable(),
  checkState: shippedCheckStateSchema,
  /** Unresolved problems of that evaluation (summaries; count is the full number, the list may be capped). */
  problemCount: z.number().int().nonnegative(),
  problems: z.array(z.string()),
  /** Stories (ticket keys) the shipment carries, and those of them that are high risk. */
  ticketKeys: z.array(z.string()),
  highRiskKeys: z.array(z.string()),
  /** Production moved backwards. */
  rollback: z.boolean(),
});

export type ShipmentRecord = z.output<typeof shipmentRecordSchema>;
export type ShippedCheckState = z.output<typeof shippedCheckStateSchema>;

/** Shipped while its check was failing or could not finish: the flag every page and Slack show. */
export const shippedWithProblems = (shipment: Pick<ShipmentRecord, 'checkState' | 'problemCount'>): boolean =>
  shipment.checkState === 'failure' || shipment.checkState === 'error' || shipment.problemCount > 0;
