/** Command-line arguments of `deploy-checker`: parsed strictly, every mistake a one-line CliUsageError. */
import { parseArgs } from 'node:util';

export const OUTPUT_FORMATS = ['text', 'markdown', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'check';
      readonly from: string;
      readonly to: string;
      /** As given (relative to the working directory), or null for the working directory. */
      readonly repo: string | null;
      readonly config: string | null;
      readonly format: OutputFormat;
      /** Upper-cased project keys from --projects, or null when not given. */
      readonly projects: readonly string[] | null;
    };

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,49}$/;

function describeParseError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(e.message ?? '')?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? ''}`.trimEnd();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `option ${(quoted ?? '')
        .replace(/ <value>$/, '')
        .split(',')
        .pop()!
        .trim()} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted ?? ''}`.trimEnd();
    default:
      return (e.message ?? 'bad arguments').split('\n', 1)[0]!;
  }
}

export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { kind: 'help' };
  if (command === '--version' || command === '-v' || command === 'version') return { kind: 'version' };
  if (command !== 'check') throw new CliUsageError(`unknown command "${command}" (the command is "check")`);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      strict: true,
      allowPositionals: false,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        repo: { type: 'string' },
        config: { type: 'string' },
        format: { type: 'string' },
        projects: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }));
  } catch (error) {
    throw new CliUsageError(describeParseError(error));
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const str = (name: string): string | null => (typeof values[name] === 'string' ? (values[name] as string) : null);
  const from = str('from');
  const to = str('to');
  if (!from || !to) throw new CliUsageError(`missing ${[!from && '--from', !to && '--to'].filter(Boolean).join(' and ')} <ref>`);
  for (const [flag, ref] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (ref.startsWith('-') || /[\0\n\r]/.test(ref)) throw new CliUsageError(`${flag} "${ref.replace(/[\0\n\r]/g, ' ')}" is not a git ref`);
  }
  const format = str('format') ?? 'text';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new CliUsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')} (got "${format}")`);
  }
  let projects: string[] | null = null;
  const projectList = str('projects');
  if (projectList !== null) {
    projects = projectList
      .split(',')
      .map((p) => p.trim().toUpperCase())
      .filter((p) => p !== '');
    const bad = projects.find((p) => !PROJECT_KEY.test(p));
    if (bad !== undefined) throw new CliUsageError(`--projects: "${bad}" is not a JIRA project key (such as PROJ)`);
    if (projects.length === 0) throw new CliUsageError('--projects needs at least one project key, e.g. --projects PROJ,OPS');
    projects = [...new Set(projects)];
  }
  return { kind: 'check', from, to, repo: str('repo'), config: str('config'), format: format as OutputFormat, projects };
}
