/**
 * Runs local `git` without a shell. Output is read as UTF-8; git's own messages are asked for in English
 * (LC_ALL=C) so that the first line of stderr can be shown as is, and git never prompts.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { CheckFailure } from '../core/check-failure.js';

export interface GitRunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The first line of git's stderr without the "fatal: " / "error: " prefix, or a fallback. */
export function gitMessage(stderr: string, fallback: string): string {
  const line = stderr.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/^(fatal|error): /, '').trim() || fallback;
}

/**
 * Spawns `git <args>`, handing each decoded stdout chunk to `onStdout` as it arrives (so callers can parse a
 * stream without holding it); resolves with the exit code and stderr. Rejects only when git cannot be started.
 */
export function streamGit(args: readonly string[], options: GitRunOptions, onStdout: (text: string) => void): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--no-pager', ...args], {
      cwd: options.cwd,
      env: { ...options.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const decoder = new StringDecoder('utf8');
    let stderr = '';
    let failed: Error | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        onStdout(decoder.write(chunk));
      } catch (error) {
        // A consumer that cannot go on (bad record): stop git and report that error.
        failed = error as Error;
        child.kill();
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      if (stderr.length < 10_000) stderr += text;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new CheckFailure('git is not installed or not on PATH', 'git', { cause: error })
          : new CheckFailure(`could not run git: ${error.message}`, 'git', { cause: error }),
      );
    });
    child.on('close', (code) => {
      if (failed) return reject(failed);
      try {
        const rest = decoder.end();
        if (rest) onStdout(rest);
      } catch (error) {
        return reject(error);
      }
      resolve({ code: code ?? 128, stderr });
    });
  });
}

/** Runs `git <args>` and collects its (small) output. */
export async function runGit(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
  let stdout = '';
  const { code, stderr } = await streamGit(args, options, (text) => {
    stdout += text;
  });
  return { code, stdout, stderr };
}
