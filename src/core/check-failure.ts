/**
 * An outside dependency (GitHub, JIRA, the config file) could not give what an evaluation needs. The message is
 * shown to users (status description, report page): it must say what failed and never contain secrets.
 */
export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly source: 'github' | 'jira' | 'config' | 'git',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CheckFailure';
  }
}

/** The user-facing reason for any error thrown during an evaluation. */
export function failureReason(error: unknown): string {
  if (error instanceof CheckFailure) return error.message;
  return 'internal error while checking (see the app logs)';
}
