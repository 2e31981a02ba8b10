/**
 * Deploy announcements: a production push or a successful deployment_status (per `deploy.signal`) → the range
 * from the last announced production SHA → commits, stories, tickets → the exactly-once announcer (Slack, and the
 * optional JIRA write-back). The content is always computed from GitHub and JIRA, also when a recorded but
 * unannounced deploy is resumed after a restart.
 */
import type { DeployReport, RepoRef, TicketSnapshot } from '../core/domain.js';
import type { RepoConfig } from '../core/config/repo-config-schema.js';
import { resolveKeyMatcher } from '../core/check-deploy.js';
import { summarizeDeployKeysYielding } from '../core/jira-keys/extract-jira-keys.js';
import { commitsWithoutTicketYielding } from '../core/rules/evaluate-deploy-rules.js';
import { detectDeploy } from '../core/slack-announcement/detect-deploy.js';
import type { DeployAnnouncementInput, ShippedCheck } from '../core/slack-announcement/deploy-announcement-input.js';
import { createGitHubHistorySource } from '../github/github-history-source.js';
import type { GitHubEdge } from '../github/github-edge.js';
import { loadRepoConfig, type RepoConfigResult } from '../github/load-repo-config.js';
import type { InstallationOctokitFor } from '../github/installation-octokit.js';
import type { AnnouncementContent, DeployAnnouncer } from '../slack/deploy-announcer.js';
import { resolveDeployRange } from '../slack/resolve-deploy-range.js';
import type { AnnouncementRecord, ReportStore } from '../store/report-store.js';
import { reportUrlFor, type AppServices } from './app-services.js';
import { repoKey } from './job-keys.js';

export interface AnnouncementContentSource {
  build(
    edge: GitHubEdge,
    repo: RepoRef,
    config: RepoConfig,
    range: { fromSha: string; toSha: string; deployedBy: string | null; deployedAt: string },
  ): Promise<AnnouncementContent>;
}

export function createAnnouncementContentSource(services: AppServices): AnnouncementContentSource {
  return {
    async build(edge, repo, config, range) {
      const history = createGitHubHistorySource(edge, repo);
      const forward = await history.compare(range.fromSha, range.toSha);
      const rollback = forward.status === 'behind';
      // A rollback removes the commits production had and no longer has.
      const commits = rollback ? (await history.compare(range.toSha, range.fromSha)).commits : forward.commits;
      const matcher = await resolveKeyMatcher(config, services.tickets);
      const keys = await summarizeDeployKeysYielding(commits, matcher);
      const wanted = [...new Set([...keys.shipped.keys(), ...keys.reverted.keys()])];
      let tickets = new Map<string, TicketSnapshot>();
      if (wanted.length) {
        try {
          tickets = await services.tickets.fetchTickets(wanted, config.jira.fields);
        } catch (err) {
          // A deploy is announced even when JIRA is down: keys without details beat silence.
          services.logger.warn({ err, repo: repoKey(repo) }, 'JIRA unavailable while preparing an announcement; announcing keys only');
        }
      }
      const story = ([key, shas]: [string, readonly string[]]) => ({ key, ticket: tickets.get(key) ?? null, commitCount: shas.length });
      const shipped = rollback ? null : await services.store?.getReport(repo, range.toSha);
      const content: DeployAnnouncementInput = {
        repo,
        fromSha: range.fromSha,
        toSha: range.toSha,
        deployedBy: range.deployedBy,
        deployedAt: range.deployedAt,
        rollback,
        stories: [...keys.shipped].map(story),
        commitCount: commits.length,
        // Exempt commits (merges, commits.exempt, bots) needed no ticket: the check said all clear about them.
        commitsWithoutTicket: (await commitsWithoutTicketYielding(commits, keys.byCommit, config)).filter((c) => c.exemptReason === null).length,
        reverted: rollback ? [] : [...keys.reverted].map(story),
        compareUrl: `${services.env.githubWebUrl}/${repo.owner}/${repo.repo}/compare/${range.fromSha}...${range.toSha}`,
        reportUrl: reportUrlFor(services.env)(repo, range.toSha),
        jiraBaseUrl: services.env.jira?.baseUrl ?? null,
        highRiskValues: config.jira.highRiskValues,
        mention: config.slack.mention,
        ...(rollback || !services.store ? {} : { shippedCheck: shippedCheckOf(shipped ?? null) }),
      };
      return { content, onDeploy: config.jira.onDeploy };
    },
  };
}

/** How the deploy check of the shipped SHA stood: the stored deploy evaluation of that SHA, or never checked. */
function shippedCheckOf(report: DeployReport | null): ShippedCheck {
  if (report?.kind !== 'deploy') return { state: 'never-checked' };
  if (report.state === 'success') return { state: 'success' };
  if (report.state === 'error') return { state: 'error', error: report.error ?? 'the check could not finish' };
  return { state: 'failure', problems: report.findings.map((f) => f.summary) };
}

/** The previous deployment of the environment (for the very first deployment_status, which has no `before`). */
async function previousDeploymentSha(edge: GitHubEdge, repo: RepoRef, environment: string, toSha: string): Promise<string | null> {
  const list = await edge.listDeployments(repo, environment);
  const at = list.findIndex((d) => d.sha === toSha);
  return list.slice(at + 1).find((d) => d.sha !== toSha)?.sha ?? null;
}

export async function handleDeploySignal(
  services: AppServices,
  deps: { announcer: DeployAnnouncer; content: AnnouncementContentSource; store: ReportStore },
  edge: GitHubEdge,
  event: { name: string; payload: unknown; repo: RepoRef; configResult?: RepoConfigResult },
): Promise<void> {
  const log = services.logger.child({ repo: repoKey(event.repo), event: event.name });
  const configResult = event.configResult ?? (await loadRepoConfig(edge, event.repo));
  if (!configResult.ok) {
    log.warn({ error: configResult.error }, 'invalid repository config: deploy not announced');
    return;
  }
  const { config } = configResult;
  const detected = detectDeploy(event.name, event.payload, config);
  if (detected.kind === 'ignored') {
    log.debug({ reason: detected.reason }, 'not a deploy to announce');
    return;
  }
  if (detected.source === 'push') {
    const head = await createGitHubHistorySource(edge, event.repo).resolveRef(config.branches.production);
    if (head !== detected.toSha) {
      log.info({ toSha: detected.toSha, head }, 'production has moved on since this push: announced by the newer one');
      return;
    }
  }
  const range = await resolveDeployRange(deps.store, event.repo, detected.toSha, detected.beforeSha);
  const fromSha =
    range.fromSha ?? (await previousDeploymentSha(edge, event.repo, detected.environment ?? config.deploy.environment, detected.toSha)) ?? detected.toSha;
  if (fromSha === detected.toSha && !range.previous) {
    log.info({ toSha: detected.toSha }, 'first deploy with no earlier production SHA known: recorded as the starting point');
  }
  const channel = config.slack.channel!;
  const known = await deps.store.announcementsForSha(event.repo, detected.toSha);
  if (known.some((r) => r.fromSha === fromSha && r.channel === channel && r.state === 'posted')) {
    log.info({ toSha: detected.toSha }, 'deploy already announced (redelivery or second signal)');
    return;
  }
  const built = await deps.content.build(edge, event.repo, config, {
    fromSha,
    toSha: detected.toSha,
    deployedBy: detected.deployedBy,
    deployedAt: detected.deployedAt ?? services.now().toISOString(),
  });
  const result = await deps.announcer.announce({ channel, ...built });
  log.info({ outcome: result.outcome, announcementId: result.announcementId, error: result.error }, 'deploy announcement');
}

/** Rebuilds a recorded announcement's content from GitHub and JIRA (resume after a restart or a failure). */
export function loadRecordedAnnouncement(_services: AppServices, content: AnnouncementContentSource, octokitFor: InstallationOctokitFor) {
  return async (record: AnnouncementRecord): Promise<AnnouncementContent> => {
    const edge = await octokitFor(record.repo);
    const configResult = await loadRepoConfig(edge, record.repo);
    if (!configResult.ok) throw new Error(`cannot rebuild the announcement: ${configResult.error}`);
    return content.build(edge, record.repo, configResult.config, {
      fromSha: record.fromSha,
      toSha: record.toSha,
      deployedBy: null,
      deployedAt: record.createdAt,
    });
  };
}
