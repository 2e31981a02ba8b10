/**
 * Records a shipment when production moves (a push to the production branch, or a successful deployment_status for
 * the configured environment, per `deploy.signal`), before anything else is attempted and whether or not Slack is
 * configured: from → to, who, when, and the deploy evaluation that was current for `to` with its problems, stories
 * and high-risk keys — the evidence of what shipped with which problems. Once per (repo, from, to) (the store's
 * unique key), so redeliveries and a second signal record nothing more.
 */
import type { RepoConfig } from '../core/config/repo-config-schema.js';
import type { RepoRef } from '../core/domain.js';
import type { ShipmentRecord } from '../core/records/shipment-record.js';
import { detectProductionMove } from '../core/slack-announcement/detect-deploy.js';
import { createGitHubHistorySource } from '../github/github-history-source.js';
import type { GitHubEdge } from '../github/github-edge.js';
import type { ReportStore } from '../store/report-store.js';
import type { AppServices } from './app-services.js';
import { repoKey } from './job-keys.js';

/** Problem summaries kept on a shipment; `problemCount` keeps the full number. */
export const MAX_SHIPMENT_PROBLEMS = 50;

export async function recordShipment(
  services: Pick<AppServices, 'logger' | 'now'>,
  store: ReportStore,
  edge: GitHubEdge,
  event: { name: string; payload: unknown; repo: RepoRef; config: RepoConfig },
): Promise<ShipmentRecord | null> {
  const log = services.logger.child({ repo: repoKey(event.repo), event: event.name });
  const detected = detectProductionMove(event.name, event.payload, event.config);
  if (detected.kind === 'ignored') {
    log.debug({ reason: detected.reason }, 'not a production move: no shipment');
    return null;
  }
  const { repo, toSha } = detected;
  let fromSha = detected.beforeSha;
  if (detected.source === 'deployment_status') {
    // A deployment says only where production is now: it moved from the last recorded shipment's target.
    const last = await store.latestShipment(repo);
    if (last?.toSha === toSha) {
      log.info({ toSha, shipmentId: last.id }, 'production is already recorded at this SHA (second status or signal): no new shipment');
      return last;
    }
    fromSha = last?.toSha ?? null;
  }

  const rollback = fromSha !== null && (await movedBackwards(edge, repo, fromSha, toSha, event.payload, detected.source, log));
  // The deploy evaluation that was current for `to` when it shipped (evaluations are immutable: this row stays).
  const evaluation = (await store.listEvaluationsForSha(repo, toSha)).find((item) => item.kind === 'deploy') ?? null;
  const report = evaluation ? await store.getReportById(evaluation.id) : null;
  const summaries = report?.findings.map((finding) => finding.summary) ?? [];
  const { record, created } = await store.recordShipment({
    repo,
    fromSha,
    toSha,
    source: detected.source,
    environment: detected.environment,
    shippedBy: detected.deployedBy,
    shippedAt: detected.deployedAt ?? services.now().toISOString(),
    evaluationId: report && evaluation ? evaluation.id : null,
    checkState: report?.state ?? 'never-checked',
    problemCount: summaries.length,
    problems: summaries.slice(0, MAX_SHIPMENT_PROBLEMS),
    ticketKeys: report ? [...new Set(report.tickets.map((ticket) => ticket.key))] : [],
    highRiskKeys: [...(report?.highRiskKeys ?? [])],
    rollback,
  });
  log.info(
    { shipmentId: record.id, created, fromSha, toSha, checkState: record.checkState, problemCount: record.problemCount, rollback },
    created ? 'shipment recorded' : 'shipment already recorded',
  );
  return record;
}

/**
 * Whether production went back (GitHub compare status "behind"). A push that was not forced is a fast-forward and
 * cannot be one, so only forced pushes and deployments are compared. A failed compare is logged: the shipment is
 * still recorded, as a forward move.
 */
async function movedBackwards(
  edge: GitHubEdge,
  repo: RepoRef,
  fromSha: string,
  toSha: string,
  payload: unknown,
  source: 'push' | 'deployment_status',
  log: AppServices['logger'],
): Promise<boolean> {
  if (source === 'push' && (payload as { forced?: unknown }).forced !== true) return false;
  try {
    const compared = await createGitHubHistorySource(edge, repo).compare(fromSha, toSha);
    return compared.status === 'behind';
  } catch (err) {
    log.warn({ err, fromSha, toSha }, 'could not compare the shipped range: recorded as a forward move');
    return false;
  }
}
