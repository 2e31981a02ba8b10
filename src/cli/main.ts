/**
 * `deploy-checker check --from <ref> --to <ref>`: the deploy check on a local clone, for any CI. It runs the
 * app's orchestrator (checkDeploy) with a local-git HistorySource, the app's JIRA client when JIRA_* are set,
 * no status and no report store. Exit code: 0 pass, 1 problems found, 2 could not evaluate (one line on stderr).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import type { RepoConfig } from '../core/config/repo-config-schema.js';
import type { DeployReport } from '../core/domain.js';
import type { TicketSource } from '../core/ports.js';
import { checkDeploy } from '../core/check-deploy.js';
import { CheckFailure } from '../core/check-failure.js';
import { formatReportJson } from '../core/report/format-report-json.js';
import { formatReportMarkdown } from '../core/report/format-report-markdown.js';
import { formatReportText, singleLine } from '../core/report/format-report-text.js';
import { createLogger } from '../app/create-logger.js';
import { EnvError, readEnvOptions } from '../app/read-env-options.js';
import { createJiraTransport } from '../jira/jira-transport.js';
import { CLI_USAGE } from './cli-usage.js';
import { createCliProgress, formatCount, type CliProgress } from './cli-progress.js';
import { createGitHistorySource } from './git-history-source.js';
import { loadLocalConfig, LOCAL_CONFIG_PATH } from './load-local-config.js';
import { localRepoRef } from './local-repo-ref.js';
import { readPackageVersion } from './read-package-version.js';
import { CliUsageError, parseCliArgs, type OutputFormat } from './parse-cli-args.js';
import { gitMessage, runGit } from './run-git.js';

export const EXIT_PASS = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_ERROR = 2;

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Whether stderr is a terminal: the progress line is shown only then. */
  readonly isTTY: boolean;
  /** Clock of the report's evaluatedAt (tests pin it). */
  readonly now?: () => Date;
}

/** Only these variables are read from the environment, so the web server's settings cannot get in the way. */
const JIRA_ENV_KEYS = ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN', 'JIRA_PAT', 'JIRA_TIMEOUT_MS', 'JIRA_MAX_ATTEMPTS'] as const;

/** A failure that ends the run with exit code 2 and this one-line message. */
class CliFailure extends Error {
  override name = 'CliFailure';
}

const FORMATTERS: Record<OutputFormat, (report: DeployReport) => string> = {
  text: formatReportText,
  markdown: formatReportMarkdown,
  json: formatReportJson,
};

async function buildTicketSource(env: NodeJS.ProcessEnv, logger: ReturnType<typeof createLogger>): Promise<TicketSource | null> {
  const jiraEnv = Object.fromEntries(JIRA_ENV_KEYS.map((k) => [k, env[k]]));
  let options: ReturnType<typeof readEnvOptions>;
  try {
    options = readEnvOptions(jiraEnv);
  } catch (error) {
    if (error instanceof EnvError) throw new CliFailure(error.message);
    throw error;
  }
  if (!options.jira) return null;
  // Loaded only when needed: jira.js takes ~0.5 s and ~80 MB to import, which a run without JIRA should not pay.
  const { createJiraTicketSource } = await import('../jira/jira-ticket-source.js');
  // As in src/main.ts.
  return createJiraTicketSource({
    transport: createJiraTransport({ ...options.jira, logger, timeoutMs: options.jiraTimeoutMs, maxAttempts: options.jiraMaxAttempts }),
    logger,
  });
}

function withProgress(source: TicketSource, progress: CliProgress): TicketSource {
  return {
    listProjectKeys() {
      progress.update('listing JIRA projects…');
      return source.listProjectKeys();
    },
    fetchTickets(keys, fields) {
      progress.update(`fetching ${formatCount(keys.length)} ticket${keys.length === 1 ? '' : 's'}…`);
      return source.fetchTickets(keys, fields);
    },
  };
}

interface LocalRepository {
  /** Where to run git: the work tree's top, or the git directory of a bare clone. */
  readonly dir: string;
  /** Null for a bare (or mirror) clone. */
  readonly workTree: string | null;
}

async function openRepository(repoDir: string, env: NodeJS.ProcessEnv): Promise<LocalRepository> {
  const info = await stat(repoDir).catch(() => null);
  if (!info?.isDirectory()) throw new CliFailure(`no such directory: ${repoDir}`);
  // One git call for both kinds: a bare clone prints no --show-cdup, and is no work tree.
  const probe = await runGit(['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--absolute-git-dir', '--is-inside-work-tree', '--show-cdup'], {
    cwd: repoDir,
    env,
  });
  if (probe.code !== 0) throw new CliFailure(`${repoDir} is not a git repository (${gitMessage(probe.stderr, 'git rev-parse failed')})`);
  const [bare, shallow, gitDir = repoDir, insideWorkTree, cdup = ''] = probe.stdout.split('\n');
  let repo: LocalRepository = { dir: gitDir, workTree: null };
  if (bare !== 'true') {
    if (insideWorkTree !== 'true') throw new CliFailure(`${repoDir} is not a git work tree (it is inside the git directory ${gitDir})`);
    const top = path.resolve(repoDir, cdup);
    repo = { dir: top, workTree: top };
  }
  // A shallow clone cuts history off: the range could silently miss commits, so refuse rather than guess.
  if (shallow === 'true') {
    throw new CliFailure(
      `${repo.dir} is a shallow clone, so the range may be incomplete: fetch the full history first (git fetch --unshallow, or fetch-depth: 0 / GIT_DEPTH: 0 in CI)`,
    );
  }
  return repo;
}

async function runCheck(command: Extract<ReturnType<typeof parseCliArgs>, { kind: 'check' }>, io: CliIo): Promise<number> {
  const progress = createCliProgress(io.stderr, io.isTTY);
  const destination: DestinationStream = { write: (line: string) => void io.stderr.write(line) };
  // Logs are for debugging the CLI (LOG_LEVEL=debug); by default the CLI prints only its report and errors.
  const logger = createLogger({ level: io.env.LOG_LEVEL?.trim() || 'silent', destination });

  const local = await openRepository(path.resolve(io.cwd, command.repo ?? '.'), io.env);
  const history = createGitHistorySource({
    cwd: local.dir,
    env: io.env,
    onCommitsRead: (n) => progress.update(`reading commits… ${formatCount(n)}`),
  });
  for (const [flag, ref] of [
    ['--from', command.from],
    ['--to', command.to],
  ] as const) {
    if (!(await history.resolveRef(ref))) throw new CliFailure(`${flag} ${ref}: no such commit, branch or tag in ${local.dir}`);
  }
  const headSha = (await history.resolveRef(command.to))!;

  const loaded = await loadLocalConfig({
    explicitPath: command.config,
    cwd: io.cwd,
    git: { cwd: local.dir, env: io.env },
    commit: { sha: headSha, ref: command.to },
    workTree: local.workTree,
  });
  if (!loaded.ok) throw new CliFailure(loaded.error);
  for (const warning of loaded.warnings) io.stderr.write(`deploy-checker: ${singleLine(warning)}\n`);

  const jira = await buildTicketSource(io.env, logger);
  const projects = command.projects ?? loaded.config.jira.projects ?? null;
  if (!jira && !projects) {
    throw new CliFailure(
      `no JIRA projects to look for: pass --projects PROJ,OPS or set jira.projects in ${loaded.path ?? LOCAL_CONFIG_PATH} (or set JIRA_BASE_URL and its credentials to use every project of the JIRA instance)`,
    );
  }
  const config: RepoConfig = {
    ...loaded.config,
    branches: { ...loaded.config.branches, production: command.from, deploy: command.to },
    jira: { ...loaded.config.jira, ...(projects ? { projects: [...projects] } : {}) },
  };

  // get-url applies url.<base>.insteadOf rewrites, as git fetch would.
  const origin = await runGit(['remote', 'get-url', 'origin'], { cwd: local.dir, env: io.env });
  const repo = localRepoRef(local.dir, origin.code === 0 ? origin.stdout : null);

  progress.update('reading commits…');
  let report: DeployReport | null;
  try {
    report = await checkDeploy(
      {
        history,
        tickets: jira ? withProgress(jira, progress) : null,
        status: null,
        reports: null,
        reportUrl: () => null,
        now: io.now ?? (() => new Date()),
        logger,
      },
      { repo, config, trigger: 'cli', headSha },
    );
  } finally {
    progress.clear();
  }
  if (!report) throw new CliFailure(`--to ${command.to}: nothing to check`);
  if (report.state === 'error') throw new CliFailure(report.error ?? 'the check could not be completed');
  io.stdout.write(FORMATTERS[command.format](report));
  return report.state === 'failure' ? EXIT_PROBLEMS : EXIT_PASS;
}

/** Runs the command line `argv` (without node and the script); returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseCliArgs(argv);
    if (command.kind === 'help') {
      io.stdout.write(CLI_USAGE);
      return EXIT_PASS;
    }
    if (command.kind === 'version') {
      const version = await readPackageVersion();
      if (!version) throw new CliFailure('cannot find the package.json of deploy-checker to read its version');
      io.stdout.write(`${version}\n`);
      return EXIT_PASS;
    }
    return await runCheck(command, io);
  } catch (error) {
    const message =
      error instanceof CliUsageError
        ? `${error.message} (see deploy-checker --help)`
        : error instanceof CliFailure || error instanceof CheckFailure
          ? error.message
          : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    io.stderr.write(`deploy-checker: ${singleLine(message)}\n`);
    return EXIT_ERROR;
  }
}
