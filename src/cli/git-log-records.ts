/**
 * Incremental parser of `git log -z --format=<GIT_LOG_FORMAT>` output: six NUL-terminated fields per commit
 * (sha, parents, author name, author email, author date, raw message). NUL is the one byte a commit message
 * cannot carry, so a message cannot forge a record boundary. Pure: feed it decoded text, get commits back.
 */
import type { CommitInfo } from '../core/domain.js';

export const GIT_LOG_FORMAT = '%H%x00%P%x00%an%x00%ae%x00%aI%x00%B';
const FIELDS_PER_COMMIT = 6;
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export class GitLogFormatError extends Error {
  override name = 'GitLogFormatError';
}

/**
 * The GitHub login behind a GitHub noreply address (`12345+login@users.noreply.github.com` or
 * `login@users.noreply.github.com`), so that `commits.exemptAuthors` (e.g. dependabot[bot]) works on local
 * history too; null for any other address.
 */
export function loginFromNoreplyEmail(email: string): string | null {
  const m = /^(?:\d+\+)?([^@+\s]+)@users\.noreply\.github\.com$/i.exec(email.trim());
  return m ? m[1]! : null;
}

function toCommit(fields: readonly string[]): CommitInfo {
  const [sha, parents, name, email, date, message] = fields as [string, string, string, string, string, string];
  if (!SHA.test(sha)) throw new GitLogFormatError(`git log printed an unexpected record (sha "${sha.slice(0, 50)}")`);
  return {
    sha,
    // GitHub's API gives messages without the trailing newline git stores.
    message: message.replace(/\n+$/, ''),
    authorLogin: loginFromNoreplyEmail(email),
    authorName: name || null,
    date: date || null,
    parents: parents ? parents.split(' ') : [],
    url: null,
  };
}

export interface GitLogParser {
  /** Feeds decoded text; returns the commits completed by it, in git's order. */
  push(text: string): CommitInfo[];
  /** Ends the input; throws when it stopped in the middle of a record. */
  end(): void;
}

export function createGitLogParser(): GitLogParser {
  let pending = '';
  let fields: string[] = [];
  return {
    push(text) {
      const out: CommitInfo[] = [];
      const parts = (pending + text).split('\0');
      pending = parts.pop()!;
      for (const part of parts) {
        // After the first record git may separate records with a newline as well; a sha never starts with one.
        fields.push(fields.length === 0 ? part.replace(/^\n/, '') : part);
        if (fields.length === FIELDS_PER_COMMIT) {
          out.push(toCommit(fields));
          fields = [];
        }
      }
      return out;
    },
    end() {
      if (pending.replace(/^\n/, '') !== '' || fields.length !== 0) {
        throw new GitLogFormatError('git log output ended in the middle of a commit record');
      }
    },
  };
}
