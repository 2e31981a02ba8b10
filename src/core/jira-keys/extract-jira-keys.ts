/**
 * JIRA key extraction from commit messages, PR titles and branch names. Pure: no I/O.
 *
 * Decisions (each one is pinned by a row in test/core/extract-jira-keys.test.ts):
 * - Only keys of configured projects count. A project key is matched exactly; the denylist of well-known
 *   non-key prefixes (CVE, UTF, ISO, SHA, KIP, PR, GH, JDK, RFC, …) applies when the project list was not
 *   configured explicitly but discovered from the JIRA instance.
 * - `PROJ-12` (upper case, dash) is accepted anywhere, also after `/`, `-` or `_` (browse URLs, branch names
 *   such as `hotfix-PROJ-12-login` or `fix_PROJ-12`), but not after `.`.
 * - `Proj-12` / `proj-12` (other case, dash) is accepted when it stands alone as a word: not after `/`, `.`,
 *   `-`, a letter or digit (so `/tmp/kafka-123`, `apache-parquet-1.13.0`, `kafka-3.6.2.jar` are not keys).
 * - `PROJ_12` (upper case, underscore) is accepted anywhere a dash form would be.
 * - `PROJ 12` (space, any case) is accepted only as the leading key of a line followed by `:` or `]`
 *   (`KAFKA 14515: …`, `Kafka 12317: …`), where it cannot be prose such as "moved to PROJ 2 servers".
 * - The number has 1–7 digits, no leading zero, is not 0, and is not followed by another digit, `.<digit>`
 *   (versions) or `.<letter>` when the key was not upper case (file names).
 * - Typos of a project key (`KAKFA-1`) are not keys; they are reported by `findKeyLikeTokens` so that a
 *   finding can hint at them.
 */

import { runSteps, runStepsYielding, type Steps, type YieldingOptions } from '../cooperative-steps.js';

/**
 * Commit messages are attacker-controlled: only their first 64 KB (UTF-16 code units) are read for keys, reverts,
 * exemptions and hints; the report lists the commits whose message was cut.
 */
export const MAX_SCANNED_MESSAGE_LENGTH = 64 * 1024;
/** At most this many `This reverts commit <sha>` lines of one commit are followed. */
export const MAX_REVERTED_COMMITS_PER_COMMIT = 100;

/** The part of a commit message that is read. */
export function scannedMessage(message: string): string {
  return message.length > MAX_SCANNED_MESSAGE_LENGTH ? message.slice(0, MAX_SCANNED_MESSAGE_LENGTH) : message;
}

export interface KeyExtractionOptions {
  /** Upper-case JIRA project keys whose issue keys count, e.g. ["PROJ", "OPS"]. */
  readonly projects: readonly string[];
  /** True when `projects` came from the JIRA instance rather than the repository's config. */
  readonly projectsDiscovered?: boolean;
}

/** Prefixes that look like JIRA keys but name something else (standards, CVE ids, hashes, proposals). */
export const NON_KEY_PREFIXES: ReadonlySet<string> = new Set([
  'CVE',
  'CWE',
  'GHSA',
  'UTF',
  'ISO',
  'SHA',
  'MD',
  'RFC',
  'KIP',
  'FLIP',
  'PEP',
  'JEP',
  'JSR',
  'PR',
  'GH',
  'JDK',
  'HTTP',
  'TLS',
  'SSL',
  'AES',
  'RSA',
  'ECDSA',
  'PLAINTEXT',
  'SASL',
  'IPV',
  'ES',
  'ECMA',
  'WCAG',
  'H',
  'X',
  'ARM',
]);

const PROJECT_KEY_SHAPE = /^[A-Z][A-Z0-9_]{0,49}$/;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiled matchers for one project list; build once per evaluation and reuse for every commit. */
export interface KeyMatcher {
  readonly projects: ReadonlySet<string>;
  readonly anywhere: RegExp;
  readonly leading: RegExp;
  readonly keyLike: RegExp;
}

export function createKeyMatcher(options: KeyExtractionOptions): KeyMatcher {
  const projects = new Set<string>();
  for (const raw of options.projects) {
    const p = raw.trim().toUpperCase();
    if (!PROJECT_KEY_SHAPE.test(p)) continue;
    if (options.projectsDiscovered && NON_KEY_PREFIXES.has(p)) continue;
    projects.add(p);
  }
  // Longest first so that "PROJ" does not shadow "PROJX".
  const alternation =
    [...projects]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|') || '(?!)';
  // Group 1: project (any case); 2: separator; 3: number.
  const anywhere = new RegExp(`(?<![A-Za-z0-9])(${alternation})([-_])([1-9][0-9]{0,6})(?![0-9])`, 'gi');
  const leading = new RegExp(`^[\\s*\\-\\[(]*(${alternation}) ([1-9][0-9]{0,6})(?=[:\\]])`, 'i');
  const keyLike = /(?<![A-Za-z0-9_\-./])([A-Za-z][A-Za-z0-9]{1,19})-([0-9]{1,7})(?![0-9])(?!\.[0-9])/g;
  return { projects, anywhere, leading, keyLike };
}

function acceptMatch(text: string, index: number, whole: string, project: string, sep: string): boolean {
  const exactCase = project === project.toUpperCase() && /[A-Z]/.test(project);
  const before = index > 0 ? text[index - 1] : '';
  const after = text.slice(index + whole.length, index + whole.length + 2);
  // Versions: PROJ-1.2, apache-parquet-1.13.0
  if (/^\.[0-9]/.test(after)) return false;
  if (sep === '_' && !exactCase) return false;
  if (!exactCase) {
    if (before === '_') return false;
    // Lower/mixed case must stand alone: not part of a path, file name or hyphenated word.
    if (before === '/' || before === '.' || before === '-' || before === '\\') return false;
    if (/^\.[A-Za-z]/.test(after)) return false;
    if (/^-[0-9]/.test(after)) return false;
  } else if (before === '.') {
    return false;
  }
  return true;
}

/** Every issue key of a configured project in `text`, upper-cased, in order of first appearance, deduplicated. */
export function extractKeys(text: string, matcher: KeyMatcher): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const add = (key: string) => {
    if (!seen.has(key)) {
      seen.add(key);
      found.push(key);
    }
  };
  for (const line of text.split(/\r?\n/)) addKeysOfLine(line, matcher, add);
  return found;
}

/** The keys of one line (no line breaks in it), in order, possibly repeated. */
function keysOfLine(line: string, matcher: KeyMatcher): string[] {
  const found: string[] = [];
  addKeysOfLine(line, matcher, (key) => found.push(key));
  return found;
}

function addKeysOfLine(line: string, matcher: KeyMatcher, add: (key: string) => void): void {
  const lead = matcher.leading.exec(line);
  if (lead) add(`${lead[1]!.toUpperCase()}-${lead[2]}`);
  matcher.anywhere.lastIndex = 0;
  for (let m = matcher.anywhere.exec(line); m; m = matcher.anywhere.exec(line)) {
    const [whole, project, sep, num] = m as unknown as [string, string, string, string];
    if (acceptMatch(line, m.index, whole, project, sep)) add(`${project.toUpperCase()}-${num}`);
  }
}

/** Key-shaped tokens that may be typos of a key (KAKFA-1): not a configured project, not a known non-key (CVE, KIP…). */
export function findKeyLikeTokens(text: string, matcher: KeyMatcher): string[] {
  const out = new Set<string>();
  matcher.keyLike.lastIndex = 0;
  for (let m = matcher.keyLike.exec(text); m; m = matcher.keyLike.exec(text)) {
    const project = m[1]!;
    if (project !== project.toUpperCase()) continue;
    if (matcher.projects.has(project) || NON_KEY_PREFIXES.has(project)) continue;
    out.add(`${project}-${m[2]}`);
  }
  return [...out];
}

export interface CommitKeyRefs {
  /** Keys whose change this commit ships. */
  readonly ships: readonly string[];
  /** Keys whose change this commit takes back (`Revert "PROJ-1: …"`). */
  readonly reverts: readonly string[];
  /** Commits this one names as reverted (`This reverts commit <sha>.`), lower-case, possibly abbreviated. */
  readonly revertsCommits?: readonly string[];
}

const REVERTS_COMMIT = /\bThis reverts commit ([0-9a-f]{7,40})\b/gi;

const REVERT_PREFIX = /^Revert\s+"/;

/**
 * Splits one line into the commit's own text (before the `Revert "…"` chain, and after its last closing quote)
 * and the reverted text inside the quotes, and counts how deep the chain is: `Revert "Revert "X""` is depth 2,
 * which re-applies X. `Revert "Add login" (PROJ-7)`: PROJ-7 is the reverting commit's own key, not reverted.
 */
function splitRevertChain(line: string): { prefix: string; suffix: string; depth: number; inner: string } {
  const stripped = line.replace(/^[\s*\-•]+/, '');
  const at = stripped.search(/Revert\s+"/);
  if (at < 0) return { prefix: stripped, suffix: '', depth: 0, inner: '' };
  let rest = stripped.slice(at);
  let depth = 0;
  while (REVERT_PREFIX.test(rest)) {
    rest = rest.replace(REVERT_PREFIX, '');
    depth += 1;
  }
  const close = rest.lastIndexOf('"');
  const inner = close < 0 ? rest : rest.slice(0, close);
  const suffix = close < 0 ? '' : rest.slice(close + 1);
  return { prefix: stripped.slice(0, at), suffix, depth, inner };
}

/**
 * What one commit ships and reverts. A revert is read from any line of the form `[KEY: ]Revert "…"` (the subject,
 * or a bullet of a squashed body); an odd number of nested `Revert "` reverts the keys inside, an even number
 * re-applies them. In a commit whose subject is a revert, keys in the rest of the body are taken as context, not
 * as shipped work.
 */
export function extractCommitKeys(message: string, matcher: KeyMatcher): CommitKeyRefs {
  return runSteps(extractCommitKeysSteps(message, matcher));
}

/** The line starting at `start` (as `text.split(/\r?\n/)` would give it) and where the next one starts. */
function lineAt(text: string, start: number): { line: string; next: number } {
  const end = text.indexOf('\n', start);
  if (end < 0) return { line: text.slice(start), next: text.length + 1 };
  const line = text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end);
  return { line, next: end + 1 };
}

/** Lines of a message read between two steps of extractCommitKeysSteps. */
const LINES_PER_STEP = 256;

/** extractCommitKeys as steps of LINES_PER_STEP lines, over the first MAX_SCANNED_MESSAGE_LENGTH of the message. */
export function* extractCommitKeysSteps(fullMessage: string, matcher: KeyMatcher): Steps<CommitKeyRefs> {
  const message = scannedMessage(fullMessage);
  const subject = splitRevertChain(lineAt(message, 0).line);
  const ownKeys = (chain: { prefix: string; suffix: string }) => [...keysOfLine(chain.prefix, matcher), ...keysOfLine(chain.suffix, matcher)];
  const subjectIsPureRevert = subject.depth % 2 === 1 && ownKeys(subject).length === 0;
  const ships = new Set<string>();
  const reverts = new Set<string>();
  // Lines are found one at a time (not split up front), so that no step handles more than LINES_PER_STEP of them.
  for (let i = 0, start = 0; start <= message.length; i++) {
    if (i % LINES_PER_STEP === LINES_PER_STEP - 1) yield;
    const { line, next } = lineAt(message, start);
    start = next;
    if (line.trim() === '') continue;
    const chain = splitRevertChain(line);
    if (chain.depth === 0) {
      if (i === 0 || !subjectIsPureRevert) for (const k of keysOfLine(line, matcher)) ships.add(k);
      continue;
    }
    for (const k of ownKeys(chain)) ships.add(k);
    const innerKeys = keysOfLine(chain.inner, matcher);
    for (const k of innerKeys) (chain.depth % 2 === 1 ? reverts : ships).add(k);
  }
  for (const k of ships) reverts.delete(k);
  const revertsCommits: string[] = [];
  for (const m of message.matchAll(REVERTS_COMMIT)) {
    if (revertsCommits.length === MAX_REVERTED_COMMITS_PER_COMMIT) break;
    revertsCommits.push(m[1]!.toLowerCase());
  }
  return { ships: [...ships], reverts: [...reverts], ...(revertsCommits.length ? { revertsCommits } : {}) };
}

export interface KeyedCommit {
  readonly sha: string;
  readonly message: string;
}

export interface DeployKeySummary {
  /** Keys that this deploy ships, with the commits that reference them (oldest first). */
  readonly shipped: ReadonlyMap<string, readonly string[]>;
  /** Keys whose change this deploy takes out: every commit that shipped them in the range is reverted. */
  readonly reverted: ReadonlyMap<string, readonly string[]>;
  /** Per commit sha: what it ships and reverts. */
  readonly byCommit: ReadonlyMap<string, CommitKeyRefs>;
  /** Commits whose message was longer than MAX_SCANNED_MESSAGE_LENGTH: only its start was read. */
  readonly truncated: readonly string[];
}

/** The shortest abbreviation of a sha that `This reverts commit <sha>` is read with. */
const MIN_ABBREV = 7;

/**
 * Net effect of a range of commits given oldest first. Each commit is alive until a later commit reverts it:
 * - a revert that names its target (`This reverts commit <sha>`, as git writes it) kills exactly that commit, and
 *   reverting a revert brings back what it had killed (`Revert "Revert "…""`);
 * - a revert without such a line kills every earlier commit that shipped the keys it reverts.
 * A key ships when at least one commit that ships it is alive (so a revert and its re-apply ship, and a story
 * whose last follow-up alone was reverted still ships); it is reverted when it has reverts and no live commit.
 */
export function summarizeDeployKeys(commitsOldestFirst: readonly KeyedCommit[], matcher: KeyMatcher): DeployKeySummary {
  return runSteps(summarizeDeployKeysSteps(commitsOldestFirst, matcher));
}

/** summarizeDeployKeys in slices that give the event loop back (see cooperative-steps.ts). */
export function summarizeDeployKeysYielding(
  commitsOldestFirst: readonly KeyedCommit[],
  matcher: KeyMatcher,
  options?: YieldingOptions,
): Promise<DeployKeySummary> {
  return runStepsYielding(summarizeDeployKeysSteps(commitsOldestFirst, matcher), options);
}

/** summarizeDeployKeys as steps: one commit per step; linear in the number of commits and revert lines. */
export function* summarizeDeployKeysSteps(commitsOldestFirst: readonly KeyedCommit[], matcher: KeyMatcher): Steps<DeployKeySummary> {
  const byCommit = new Map<string, CommitKeyRefs>();
  const shasByKey = new Map<string, string[]>();
  const shippers = new Map<string, string[]>();
  const reverters = new Map<string, string[]>();
  const alive = new Map<string, boolean>();
  const killedBy = new Map<string, string[]>();
  const truncated: string[] = [];
  // Commits seen so far by the first 7 digits of their lower-case sha, in range order. A bucket holds more than one
  // commit only for a 28-bit prefix collision, so resolving a target is constant time unless someone grinds shas.
  const byPrefix = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, sha: string) => {
    const list = map.get(key);
    if (list) list.push(sha);
    else map.set(key, [sha]);
  };
  const remember = (sha: string) => push(byPrefix, sha.slice(0, MIN_ABBREV).toLowerCase(), sha);
  /** The first earlier commit whose sha starts with `abbrev` (lower-case, 7 to 40 digits). */
  const resolve = (abbrev: string): string | undefined => byPrefix.get(abbrev.slice(0, MIN_ABBREV))?.find((sha) => sha.toLowerCase().startsWith(abbrev));
  const kill = (sha: string, by: string) => {
    if (!alive.get(sha)) return;
    alive.set(sha, false);
    push(killedBy, by, sha);
    for (const revived of killedBy.get(sha) ?? []) alive.set(revived, true);
  };

  for (const commit of commitsOldestFirst) {
    if (commit.message.length > MAX_SCANNED_MESSAGE_LENGTH) truncated.push(commit.sha);
    const refs = yield* extractCommitKeysSteps(commit.message, matcher);
    byCommit.set(commit.sha, refs);
    if (refs.revertsCommits?.length) {
      for (const abbrev of refs.revertsCommits) {
        const target = resolve(abbrev);
        if (target) kill(target, commit.sha);
      }
    } else {
      for (const key of refs.reverts) for (const sha of shippers.get(key) ?? []) kill(sha, commit.sha);
    }
    alive.set(commit.sha, true);
    remember(commit.sha);
    for (const k of refs.ships) push(shippers, k, commit.sha);
    for (const k of refs.reverts) push(reverters, k, commit.sha);
    for (const k of new Set([...refs.ships, ...refs.reverts])) push(shasByKey, k, commit.sha);
    yield;
  }

  const shipped = new Map<string, string[]>();
  const reverted = new Map<string, string[]>();
  for (const [key, shas] of shasByKey) {
    if ((shippers.get(key) ?? []).some((sha) => alive.get(sha))) shipped.set(key, shas);
    else if (reverters.has(key)) reverted.set(key, shas);
  }
  return { shipped, reverted, byCommit, truncated };
}
