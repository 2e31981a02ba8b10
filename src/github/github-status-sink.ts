/**
 * StatusSink over the GitHub edge: a commit status, a check run named after the context, or both (`delivery`).
 *
 * Check runs: pending → `in_progress` (a run is created once; a completed run is never turned back); a final state
 * completes the head's run of that name — found by name (`GET …/commits/{sha}/check-runs?check_name=`), so a run
 * left `in_progress` by a process that died is completed by whoever posts the result next (the intent sweep) —
 * or creates one. A completed run that already shows exactly the result is left alone (a redelivery writes nothing).
 */
import type { RepoRef } from '../core/domain.js';
import type { CheckRunOutput, CommitState, StatusSink } from '../core/ports.js';
import { checkRunConclusion, RECHECK_ACTION } from '../core/report/check-run-output.js';
import { truncateDescription } from '../core/report/status-description.js';
import type { CheckRun, CheckRunFields, GitHubEdge } from './github-edge.js';

/** The check run fields for a status (pending → in progress; final → completed with the recheck action). */
export function checkRunFieldsFor(status: {
  state: CommitState;
  description: string;
  context: string;
  targetUrl: string | null;
  checkRun?: CheckRunOutput | undefined;
}): CheckRunFields {
  const title = status.checkRun?.title ?? truncateDescription(status.description);
  const summary = status.checkRun?.summary ?? status.description;
  if (status.state === 'pending') return { name: status.context, status: 'in_progress', detailsUrl: status.targetUrl, title, summary };
  return {
    name: status.context,
    status: 'completed',
    conclusion: checkRunConclusion(status.state),
    detailsUrl: status.targetUrl,
    title,
    summary,
    actions: [RECHECK_ACTION],
  };
}

/** Whether the run on GitHub already shows `fields` (same status, conclusion, output and details URL). */
function showsExactly(run: CheckRun, fields: CheckRunFields): boolean {
  return (
    run.status === fields.status &&
    (run.conclusion ?? undefined) === fields.conclusion &&
    (run.details_url ?? null) === fields.detailsUrl &&
    run.output?.title === fields.title &&
    run.output?.summary === fields.summary
  );
}

const isGone = (error: unknown): boolean => [403, 404].includes((error as { status?: number }).status ?? 0);

export function createGitHubStatusSink(github: GitHubEdge, repo: RepoRef): StatusSink {
  async function postCheckRun(sha: string, fields: CheckRunFields): Promise<void> {
    const [existing] = await github.listCheckRunsForRef(repo, sha, { checkName: fields.name });
    if (!existing) {
      await github.createCheckRun(repo, sha, fields);
      return;
    }
    if (fields.status !== 'completed' && existing.status === 'completed') return; // never back to in progress
    if (showsExactly(existing, fields)) return;
    try {
      await github.updateCheckRun(repo, existing.id, fields);
    } catch (error) {
      // Another app's run of that name (403), or it went away (404): this App's own run takes its place.
      if (!isGone(error)) throw error;
      await github.createCheckRun(repo, sha, fields);
    }
  }

  return {
    async setStatus(sha, status) {
      const delivery = status.delivery ?? 'status';
      if (delivery !== 'check-run') {
        await github.createCommitStatus(repo, sha, {
          state: status.state,
          context: status.context,
          description: truncateDescription(status.description),
          targetUrl: status.targetUrl,
        });
      }
      if (delivery !== 'status') await postCheckRun(sha, checkRunFieldsFor(status));
    },
  };
}
