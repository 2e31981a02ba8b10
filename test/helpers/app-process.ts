/**
 * The real server as a child process in a process group of its own (so `npm start`'s node child is signalled and
 * reaped with it), started either as `npm start` from the repository or as `node dist/main.js` in a working
 * directory of the test's (where its `.env` and `./data` live). Nothing outlives `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { pushPayload } from './webhook-payloads.js';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from './app-harness.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface AppProcessOptions {
  /** `node`: node dist/main.js in `cwd`; `npm-start`: `npm start` in the repository. */
  readonly command: 'node' | 'npm-start';
  readonly cwd?: string;
  /** The process environment (PATH and HOME are added). */
  readonly env?: Record<string, string>;
  /** Written to `<cwd>/.env` before start. */
  readonly envFile?: Record<string, string>;
  readonly port?: number;
}

export interface AppProcess {
  readonly port: number;
  readonly pid: number;
  output(): string;
  /** Resolves with the exit (code, signal) and how long after `since` it came. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Signals the whole process group. */
  signalGroup(signal: NodeJS.Signals): void;
  /** Signals only the process that was started (`npm` for npm-start), as a container runtime signals PID 1. */
  signalLeader(signal: NodeJS.Signals): void;
  /** True while any process of the group is alive. */
  groupAlive(): boolean;
  stop(): Promise<void>;
}

export function envFileText(values: Record<string, string>): string {
  return `${Object.entries(values)
    .map(([k, v]) => `${k}="${v.replace(/\n/g, '\\n')}"`)
    .join('\n')}\n`;
}

export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const cwd = options.cwd ?? REPO_ROOT;
  const port = options.port ?? (await freePort());
  // With an .env file the port goes there too: the process is then configured through .env alone.
  if (options.envFile) writeFileSync(join(cwd, '.env'), envFileText({ PORT: String(port), ...options.envFile }));
  const [cmd, args] = options.command === 'node' ? [process.execPath, [join(REPO_ROOT, 'dist/main.js')]] : ['npm', ['start', '--silent']];
  const child: ChildProcess = spawn(cmd, args, {
    cwd: options.command === 'node' ? cwd : REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...(options.envFile ? {} : { PORT: String(port) }), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null, at: Date.now() }));
  const pid = child.pid ?? 0;
  const groupAlive = (): boolean => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signalGroup = (signal: NodeJS.Signals) => {
    if (groupAlive()) process.kill(-pid, signal);
  };

  const deadline = Date.now() + 60_000;
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (exitedEarly || Date.now() > deadline) {
      signalGroup('SIGKILL');
      throw new Error(`the server did not start:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    port,
    pid,
    output: () => text,
    exited,
    signalGroup,
    signalLeader: (signal) => {
      if (groupAlive()) process.kill(pid, signal);
    },
    groupAlive,
    async stop() {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      // npm may leave its node child behind for a moment: reap the group.
      for (let i = 0; i < 50 && groupAlive(); i++) {
        signalGroup('SIGKILL');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** The settings every e2e server gets: the App, the loopback fakes, no sign-in, JSON logs on 127.0.0.1. */
export function serverSettings(
  fakes: { githubHost: string; jiraUrl: string },
  app: { privateKey: string; webhookSecret: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    APP_ID: '12345',
    PRIVATE_KEY: app.privateKey,
    WEBHOOK_SECRET: app.webhookSecret,
    GHE_HOST: fakes.githubHost,
    GHE_PROTOCOL: 'http',
    JIRA_BASE_URL: fakes.jiraUrl,
    JIRA_EMAIL: 'bot@example.com',
    JIRA_API_TOKEN: 'jira-e2e-token',
    PUBLIC_URL: 'https://checker.example.com',
    WEB_AUTH: 'off',
    HOST: '127.0.0.1',
    LOG_FORMAT: 'json',
    ...extra,
  };
}

/** Delivers a signed push of `branch` at `after` to the server process; resolves with the HTTP status. */
export async function deliverSignedPush(
  app: Pick<AppProcess, 'port'>,
  webhookSecret: string,
  repo: { owner: string; repo: string; installationId: number },
  after: string,
  branch = 'deploy',
): Promise<number> {
  const body = JSON.stringify(pushPayload(repo, { ref: `refs/heads/${branch}`, after }));
  const res = await fetch(`http://127.0.0.1:${app.port}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': await sign(webhookSecret, body),
    },
    body,
  });
  await res.text();
  return res.status;
}
