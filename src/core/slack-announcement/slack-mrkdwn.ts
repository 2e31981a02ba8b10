/**
 * Safe text for Slack mrkdwn. Commit messages and ticket fields are attacker-controlled: everything that is not
 * our own markup goes through `mrkdwnText` (or `plainText` for plain_text objects), which
 * - collapses line breaks, tabs and other control characters to single spaces (no fake extra lines),
 * - breaks the bare broadcast words `@channel`, `@here`, `@everyone` with a zero-width space,
 * - escapes `&`, `<` and `>` (so `<!channel>`, `<@U123>`, `<#C1>`, `<!subteam^…>` and `<url|label>` lose
 *   their meaning), and
 * - truncates to a length measured AFTER escaping, never inside an entity or a surrogate pair.
 * Links are only built from http(s) URLs that parse.
 */

const ZERO_WIDTH_SPACE = '\u200B';
const ELLIPSIS = '…';

/** Control characters (C0, DEL, C1), line and paragraph separators, and the bidi overrides. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]+/g;
const BROADCAST = /@(channel|here|everyone)\b/gi;

/** One line of text: control characters and runs of whitespace become one space; trimmed. */
export function singleLine(raw: string): string {
  return raw.replace(CONTROL_CHARS, ' ').replace(/\s+/g, ' ').trim();
}

function defangBroadcasts(s: string): string {
  return s.replace(BROADCAST, (_m, word: string) => `@${ZERO_WIDTH_SPACE}${word}`);
}

function escapeChar(ch: string): string {
  if (ch === '&') return '&amp;';
  if (ch === '<') return '&lt;';
  if (ch === '>') return '&gt;';
  return ch;
}

/** Escapes `&`, `<`, `>` as Slack asks. Does not collapse whitespace or defang broadcasts. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/[&<>]/g, escapeChar);
}

/**
 * Untrusted text made safe for a mrkdwn text object, at most `maxLength` UTF-16 units once escaped
 * (ending in "…" when cut).
 */
export function mrkdwnText(raw: string, maxLength: number): string {
  const clean = defangBroadcasts(singleLine(raw));
  const pieces: string[] = [];
  let length = 0;
  for (const ch of clean) {
    const piece = escapeChar(ch);
    if (length + piece.length > maxLength) {
      // Drop whole pieces (an entity or a code point) until the ellipsis fits.
      while (pieces.length > 0 && length + ELLIPSIS.length > maxLength) length -= pieces.pop()!.length;
      if (length + ELLIPSIS.length > maxLength) return '';
      return pieces.join('').trimEnd() + ELLIPSIS;
    }
    pieces.push(piece);
    length += piece.length;
  }
  return pieces.join('');
}

/** Untrusted text for a plain_text object (no entities there): control characters, `<`, `>`, `&` dropped. */
export function plainText(raw: string, maxLength: number): string {
  const clean = defangBroadcasts(singleLine(raw.replace(/[<>&]/g, '')));
  if (clean.length <= maxLength) return clean;
  return cutWithEllipsis(truncateCodePoints(clean, maxLength), maxLength);
}

function truncateCodePoints(s: string, maxLength: number): string {
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > maxLength) break;
    out += ch;
  }
  return out;
}

/** `s` already fits in maxLength; drop whole code points until "…" fits too. */
function cutWithEllipsis(s: string, maxLength: number): string {
  if (maxLength < ELLIPSIS.length) return '';
  const points = Array.from(s);
  let out = points.join('');
  while (out.length + ELLIPSIS.length > maxLength && points.length > 0) {
    points.pop();
    out = points.join('');
  }
  return out.trimEnd() + ELLIPSIS;
}

/**
 * The URL for the `<url|label>` form, or null when it is not an http(s) URL. `|` and spaces are percent-encoded
 * (the URL parser encodes `<`, `>` and quotes), `&` is escaped as Slack asks.
 */
export function slackUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.href.replace(/\|/g, '%7C').replace(/ /g, '%20').replace(/&/g, '&amp;');
}

/** `<url|label>` when the URL is usable, else just the label. `label` must already be safe mrkdwn. */
export function mrkdwnLink(rawUrl: string | null | undefined, safeLabel: string): string {
  const url = slackUrl(rawUrl);
  return url === null ? safeLabel : `<${url}|${safeLabel}>`;
}

export function shortSha(sha: string): string {
  return /^[0-9a-f]{7,64}$/i.test(sha) ? sha.slice(0, 7).toLowerCase() : singleLine(sha).slice(0, 12);
}
