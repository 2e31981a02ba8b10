/**
 * The GitHub calls of the deployment protection rule, behind one small interface: what is live in an environment,
 * every status and check run of a SHA (for the approval request), and the answer to the protection rule. Every
 * response is parsed with zod; the rest of the app never sees Octokit types.
 */
import { z } from 'zod';
import type { RepoRef } from '../core/domain.js';
import type { ShaCheck } from '../core/approval/deploy-approval-port.js';
import type { Octokit } from './github-history-source.js';

export interface ProtectionRuleGitHub {
  /**
   * The SHA of the environment's latest successful deployment: the newest deployment (of the newest 30) whose newest
   * status is `success`; null when there is none.
   */
  liveDeploymentSha(environment: string): Promise<string | null>;
  /** Every commit status (combined status, all pages) and check run (all pages) of the SHA. */
  shaChecks(sha: string): Promise<ShaCheck[]>;
  /** Answers the protection rule of a workflow run for one environment. */
  reviewProtectionRule(runId: number, answer: { environment: string; state: 'approved' | 'rejected'; comment: string }): Promise<void>;
}

const deploymentsResponse = z.array(z.looseObject({ id: z.number(), sha: z.string() }));
const deploymentStatusesResponse = z.array(z.looseObject({ state: z.string() }));
const combinedStatusResponse = z.looseObject({
  statuses: z.array(z.looseObject({ context: z.string(), state: z.string(), target_url: z.string().nullish() })),
});
const checkRunsResponse = z.looseObject({
  total_count: z.number(),
  check_runs: z.array(
    z.looseObject({
      name: z.string(),
      status: z.string(),
      conclusion: z.string().nullish(),
      html_url: z.string().nullish(),
      details_url: z.string().nullish(),
    }),
  ),
});

const PAGE = 100;
/** Safety stop for paginated reads (10,000 statuses or check runs). */
const MAX_PAGES = 100;
const DEPLOYMENTS_LOOKED_AT = 30;

export function createProtectionRuleGitHub(octokit: Octokit, repo: RepoRef): ProtectionRuleGitHub {
  const where = { owner: repo.owner, repo: repo.repo };
  return {
    async liveDeploymentSha(environment) {
      const listed = await octokit.request('GET /repos/{owner}/{repo}/deployments', { ...where, environment, per_page: DEPLOYMENTS_LOOKED_AT });
      for (const deployment of deploymentsResponse.parse(listed.data)) {
        const statuses = await octokit.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
          ...where,
          deployment_id: deployment.id,
          per_page: 1,
        });
        if (deploymentStatusesResponse.parse(statuses.data)[0]?.state === 'success') return deployment.sha;
      }
      return null;
    },

    async shaChecks(sha) {
      const checks: ShaCheck[] = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        const res = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/status', { ...where, ref: sha, per_page: PAGE, page });
        const { statuses } = combinedStatusResponse.parse(res.data);
        for (const s of statuses) checks.push({ name: s.context, state: s.state, url: s.target_url ?? null });
        if (statuses.length < PAGE) break;
      }
      let seen = 0;
      for (let page = 1; page <= MAX_PAGES; page++) {
        const res = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { ...where, ref: sha, per_page: PAGE, page });
        const { total_count, check_runs } = checkRunsResponse.parse(res.data);
        for (const run of check_runs) {
          checks.push({
            name: run.name,
            state: run.status === 'completed' ? (run.conclusion ?? 'completed') : run.status,
            url: run.html_url ?? run.details_url ?? null,
          });
        }
        seen += check_runs.length;
        if (check_runs.length < PAGE || seen >= total_count) break;
      }
      return checks;
    },

    async reviewProtectionRule(runId, answer) {
      await octokit.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule', {
        ...where,
        run_id: runId,
        environment_name: answer.environment,
        state: answer.state,
        comment: answer.comment,
      });
    },
  };
}
