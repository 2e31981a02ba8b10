/** Time formatting for the pages. Pure and deterministic: the caller passes `now`. */

/** `2024-05-01 12:34 UTC`, or the raw text when it is not a date. */
export function formatUtc(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} UTC`;
}

/** `just now`, `5 min ago`, `3 h ago`, `2 d ago`, `4 mo ago`, `1 y ago`; `in the future` for clock skew. */
export function formatAge(iso: string, now: Date): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return 'unknown';
  const seconds = Math.floor((now.getTime() - ms) / 1000);
  if (seconds < -60) return 'in the future';
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 60) return `${days} d ago`;
  const months = Math.floor(days / 30);
  if (months < 24) return `${months} mo ago`;
  return `${Math.floor(days / 365)} y ago`;
}

/** The first 7 characters of a SHA. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** The first line of a commit message, trimmed. */
export function commitSubject(message: string): string {
  const newline = message.indexOf('\n');
  return (newline === -1 ? message : message.slice(0, newline)).trim();
}
