import { describe, expect, it } from 'vitest';
import { createGitLogParser, loginFromNoreplyEmail } from '../../src/cli/git-log-records.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const record = (sha: string, parents: string, message: string, email = 'dev@example.com') =>
  `${sha}\x00${parents}\x00Dev\x00${email}\x002024-01-02T03:04:05+00:00\x00${message}\x00`;

describe('createGitLogParser', () => {
  it('parses records split anywhere across chunks, messages with newlines and record-separator bytes included', () => {
    const text = record(A, `${B} ${C}`, 'PROJ-1: merge\n\nbody \x1e line\n') + record(B, '', 'root\n');
    for (let cut = 0; cut <= text.length; cut += 7) {
      const parser = createGitLogParser();
      const commits = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      parser.end();
      expect(commits).toEqual([
        {
          sha: A,
          message: 'PROJ-1: merge\n\nbody \x1e line',
          authorLogin: null,
          authorName: 'Dev',
          date: '2024-01-02T03:04:05+00:00',
          parents: [B, C],
          url: null,
        },
        { sha: B, message: 'root', authorLogin: null, authorName: 'Dev', date: '2024-01-02T03:04:05+00:00', parents: [], url: null },
      ]);
    }
  });

  it('accepts a newline between records', () => {
    const parser = createGitLogParser();
    const commits = parser.push(`${record(A, '', 'one')}\n${record(B, A, 'two')}\n`);
    parser.end();
    expect(commits.map((c) => c.sha)).toEqual([A, B]);
  });

  it('takes the GitHub login from a noreply address (so exemptAuthors works locally)', () => {
    const parser = createGitLogParser();
    const [commit] = parser.push(record(A, '', 'Bump x', '49699333+dependabot[bot]@users.noreply.github.com'));
    expect(commit!.authorLogin).toBe('dependabot[bot]');
    expect(loginFromNoreplyEmail('octocat@users.noreply.github.com')).toBe('octocat');
    expect(loginFromNoreplyEmail('octocat@example.com')).toBeNull();
  });

  it('refuses output that is not a record stream, or that stops mid-record', () => {
    expect(() => createGitLogParser().push('warning: something\x00a\x00b\x00c\x00d\x00e\x00')).toThrow(/unexpected record/);
    const parser = createGitLogParser();
    parser.push(`${A}\x00\x00Dev\x00`);
    expect(() => parser.end()).toThrow(/middle of a commit record/);
  });
});
