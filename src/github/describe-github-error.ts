/** A short, secret-free description of a failed GitHub request, for statuses and reports. */
export function describeGitHubError(error: unknown, doing: string): string {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') return `GitHub answered HTTP ${status} while ${doing}`;
  return `GitHub could not be reached while ${doing}`;
}
