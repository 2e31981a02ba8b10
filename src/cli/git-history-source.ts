/**
 * HistorySource over a local clone, for the command-line checker. Same semantics as GitHub's compare:
 * the commits reachable from head and not from base, and ahead/behind counts. Three git processes per compare,
 * whatever the range: `rev-list --left-right --count` for the counts, then ONE `git log` whose output is parsed
 * as it streams.
 */
import type { CommitInfo, DeployRange } from '../core/domain.js';
import type { HistorySource } from '../core/ports.js';
import { CheckFailure } from '../core/check-failure.js';
import { createGitLogParser, GIT_LOG_FORMAT } from './git-log-records.js';
import { gitMessage, runGit, streamGit, type GitRunOptions } from './run-git.js';

export interface GitHistorySourceOptions extends GitRunOptions {
  /** Called with the running count while commits are read (for a progress line). */
  readonly onCommitsRead?: (count: number) => void;
  /** How many commits between two onCommitsRead calls (default 1000); the final count is always reported. */
  readonly progressEvery?: number;
}

const FULL_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export function compareStatus(aheadBy: number, behindBy: number): DeployRange['status'] {
  if (aheadBy > 0 && behindBy > 0) return 'diverged';
  if (aheadBy > 0) return 'ahead';
  if (behindBy > 0) return 'behind';
  return 'identical';
}

/** Refs that git would read as an option, or that no ref can contain. */
export function isUnsafeRef(ref: string): boolean {
  return ref === '' || ref.startsWith('-') || /[\0\n\r]/.test(ref);
}

export function createGitHistorySource(options: GitHistorySourceOptions): HistorySource {
  const git: GitRunOptions = { cwd: options.cwd, env: options.env };
  const every = Math.max(1, options.progressEvery ?? 1000);
  // Per instance: checkDeploy resolves the refs the CLI has already resolved.
  const resolved = new Map<string, Promise<string | null>>();

  async function resolve(ref: string): Promise<string | null> {
    if (isUnsafeRef(ref)) return null;
    const result = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], git);
    if (result.code === 0) {
      const sha = result.stdout.trim();
      if (!FULL_SHA.test(sha)) throw new CheckFailure(`git rev-parse gave an unexpected answer for "${ref}"`, 'git');
      return sha;
    }
    if (result.code === 1) return null;
    throw new CheckFailure(gitMessage(result.stderr, `git rev-parse failed for "${ref}"`), 'git');
  }

  return {
    resolveRef(ref) {
      let pending = resolved.get(ref);
      if (!pending) {
        pending = resolve(ref);
        resolved.set(ref, pending);
      }
      return pending;
    },

    async compare(baseSha, headSha, onTotal) {
      if (!FULL_SHA.test(baseSha) || !FULL_SHA.test(headSha)) throw new CheckFailure('compare needs two full commit SHAs', 'git');
      const counts = await runGit(['rev-list', '--left-right', '--count', `${baseSha}...${headSha}`], git);
      const m = /^(\d+)\s+(\d+)\s*$/.exec(counts.stdout);
      if (counts.code !== 0 || !m) throw new CheckFailure(gitMessage(counts.stderr, 'git rev-list could not count the commits'), 'git');
      const behindBy = Number(m[1]);
      const aheadBy = Number(m[2]);
      if (onTotal) await onTotal(aheadBy);

      const parser = createGitLogParser();
      const commits: CommitInfo[] = [];
      let reported = 0;
      const log = await streamGit(
        ['-c', 'log.showSignature=false', 'log', '-z', '--topo-order', '--encoding=UTF-8', `--format=${GIT_LOG_FORMAT}`, `^${baseSha}`, headSha, '--'],
        git,
        (text) => {
          for (const commit of parser.push(text)) commits.push(commit);
          if (options.onCommitsRead && commits.length - reported >= every) {
            reported = commits.length;
            options.onCommitsRead(reported);
          }
        },
      );
      if (log.code !== 0) throw new CheckFailure(gitMessage(log.stderr, 'git log failed'), 'git');
      parser.end();
      options.onCommitsRead?.(commits.length);
      if (commits.length !== aheadBy) {
        throw new CheckFailure(`git log listed ${commits.length} of ${aheadBy} commits; refusing to judge a partial range`, 'git');
      }
      // --topo-order lists children before parents; the core wants oldest first.
      commits.reverse();
      return { status: compareStatus(aheadBy, behindBy), aheadBy, behindBy, commits };
    },
  };
}
