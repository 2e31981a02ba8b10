/**
 * Builds a linear git history in one `git fast-import` process (thousands of commits in well under a second):
 * a base commit tagged `fromTag`, then one empty commit per message (oldest first), the last tagged `toTag`.
 * Used by the corpus test and by bench/cli.bench.ts.
 */
import { execFileSync } from 'node:child_process';

export interface LinearHistoryOptions {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Commit messages, oldest first. */
  readonly messages: readonly string[];
  readonly fromTag: string;
  readonly toTag: string;
  readonly branch?: string;
}

export function fastImportStream(options: Pick<LinearHistoryOptions, 'messages' | 'fromTag' | 'toTag' | 'branch'>): Buffer {
  const branch = `refs/heads/${options.branch ?? 'main'}`;
  const parts: Buffer[] = [];
  const push = (s: string) => parts.push(Buffer.from(s, 'utf8'));
  const all = ['Base of the range', ...options.messages];
  all.forEach((message, i) => {
    const body = Buffer.from(message, 'utf8');
    const when = 1_700_000_000 + i * 60;
    push(`commit ${branch}\nmark :${i + 1}\n`);
    push(`author Corpus Author <author@example.com> ${when} +0000\ncommitter Corpus Author <author@example.com> ${when} +0000\n`);
    push(`data ${body.length}\n`);
    parts.push(body);
    push('\n\n');
  });
  push(`reset refs/tags/${options.fromTag}\nfrom :1\n\n`);
  push(`reset refs/tags/${options.toTag}\nfrom :${all.length}\n\n`);
  return Buffer.concat(parts);
}

/** Creates the repository in `dir` (which must exist) and imports the history. */
export function buildLinearHistory(options: LinearHistoryOptions): void {
  const run = (args: string[], input?: Buffer) => execFileSync('git', args, { cwd: options.dir, env: options.env, input, stdio: ['pipe', 'pipe', 'pipe'] });
  run(['init', '-q', '-b', options.branch ?? 'main']);
  run(['fast-import', '--quiet'], fastImportStream(options));
}
