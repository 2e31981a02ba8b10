/**
 * The GitHub calls of the deployment protection rule for one repository, over the one GitHub edge
 * (src/github/github-edge.ts): what is live in an environment, every status and check run of a SHA (for the
 * approval request), and the answer to the protection rule.
 */
import type { RepoRef } from '../core/domain.js';
import type { ShaCheck } from '../core/approval/deploy-approval-port.js';
import type { GitHubEdge } from './github-edge.js';

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

export function createProtectionRuleGitHub(edge: GitHubEdge, repo: RepoRef): ProtectionRuleGitHub {
  return {
    async liveDeploymentSha(environment) {
      for (const deployment of await edge.listDeployments(repo, environment)) {
        const [newest] = await edge.listDeploymentStatuses(repo, deployment.id);
        if (newest?.state === 'success') return deployment.sha;
      }
      return null;
    },

    async shaChecks(sha) {
      return edge.listCommitChecks(repo, sha);
    },

    async reviewProtectionRule(runId, answer) {
      await edge.reviewDeploymentProtectionRule(repo, runId, { environmentName: answer.environment, state: answer.state, comment: answer.comment });
    },
  };
}
