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

export interface KeyExtractionOptions {
  /** Upper-case JIRA project keys whose issue keys count, e.g. ["PROJ", "OPS"]. */
  readonly projects: readonly string[];
  /** True when `projects` came from the JIRA instance rather than the repository's config. */
  readonly projectsDiscovered?: boolean;
}

/** Prefixes that look like JIRA keys but name something else (standards, CVE ids, hashes, proposals). */
export const NON_KEY_PREFIXES: ReadonlySet<string> = new Set([
  'CVE', 'CWE', 'GHSA', 'UTF', 'ISO', 'SHA', 'MD', 'RFC', 'KIP', 'FLIP', 'PEP', 'JEP', 'JSR', 'PR', 'GH', 'JDK',
  'HTTP', 'TLS', 'SSL', 'AES', 'RSA', 'ECDSA', 'PLAINTEXT', 'SASL', 'IPV', 'ES', 'ECMA', 'WCAG', 'H', 'X', 'ARM',
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
  const alternation = [...projects].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|') || '(?!)';
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
  for (const line of text.split(/\r?\n/)) {
    const lead = matcher.leading.exec(line);
    if (lead) add(`${lead[1]!.toUpperCase()}-${lead[2]}`);
    matcher.anywhere.lastIndex = 0;
    for (let m = matcher.anywhere.exec(line); m; m = matcher.anywhere.exec(line)) {
      const [whole, project, sep, num] = m as unknown as [string, string, string, string];
      if (acceptMatch(line, m.index, whole, project, sep)) add(`${project.toUpperCase()}-${num}`);
    }
  }
  return found;
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
  const lines = message.split(/\r?\n/);
  const subject = splitRevertChain(lines[0] ?? '');
  const ownKeys = (chain: { prefix: string; suffix: string }) => [
    ...extractKeys(chain.prefix, matcher),
    ...extractKeys(chain.suffix, matcher),
  ];
  const subjectIsPureRevert = subject.depth % 2 === 1 && ownKeys(subject).length === 0;
  const ships = new Set<string>();
  const reverts = new Set<string>();
  lines.forEach((line, i) => {
    const chain = splitRevertChain(line);
    if (chain.depth === 0) {
      if (i === 0 || !subjectIsPureRevert) for (const k of extractKeys(line, matcher)) ships.add(k);
      return;
    }
    for (const k of ownKeys(chain)) ships.add(k);
    const innerKeys = extractKeys(chain.inner, matcher);
    for (const k of innerKeys) (chain.depth % 2 === 1 ? reverts : ships).add(k);
  });
  for (const k of ships) reverts.delete(k);
  const revertsCommits = [...message.matchAll(REVERTS_COMMIT)].map((m) => m[1]!.toLowerCase());
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
}

/**
 * Net effect of a range of commits given oldest first. Each commit is alive until a later commit reverts it:
 * - a revert that names its target (`This reverts commit <sha>`, as git writes it) kills exactly that commit, and
 *   reverting a revert brings back what it had killed (`Revert "Revert "…""`);
 * - a revert without such a line kills every earlier commit that shipped the keys it reverts.
 * A key ships when at least one commit that ships it is alive (so a revert and its re-apply ship, and a story
 * whose last follow-up alone was reverted still ships); it is reverted when it has reverts and no live commit.
 */
export function summarizeDeployKeys(commitsOldestFirst: readonly KeyedCommit[], matcher: KeyMatcher): DeployKeySummary {
  const byCommit = new Map<string, CommitKeyRefs>();
  const shasByKey = new Map<string, string[]>();
  const shippers = new Map<string, string[]>();
  const reverters = new Map<string, string[]>();
  const alive = new Map<string, boolean>();
  const killedBy = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, sha: string) => {
    const list = map.get(key);
    if (list) list.push(sha);
    else map.set(key, [sha]);
  };
  const resolve = (abbrev: string): string | undefined => {
    if (abbrev.length === 40) return alive.has(abbrev) ? abbrev : undefined;
    for (const sha of alive.keys()) if (sha.toLowerCase().startsWith(abbrev)) return sha;
    return undefined;
  };
  const kill = (sha: string, by: string) => {
    if (!alive.get(sha)) return;
    alive.set(sha, false);
    push(killedBy, by, sha);
    for (const revived of killedBy.get(sha) ?? []) alive.set(revived, true);
  };

  for (const commit of commitsOldestFirst) {
    const refs = extractCommitKeys(commit.message, matcher);
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
    for (const k of refs.ships) push(shippers, k, commit.sha);
    for (const k of refs.reverts) push(reverters, k, commit.sha);
    for (const k of new Set([...refs.ships, ...refs.reverts])) push(shasByKey, k, commit.sha);
  }

  const shipped = new Map<string, string[]>();
  const reverted = new Map<string, string[]>();
  for (const [key, shas] of shasByKey) {
    if ((shippers.get(key) ?? []).some((sha) => alive.get(sha))) shipped.set(key, shas);
    else if (reverters.has(key)) reverted.set(key, shas);
  }
  return { shipped, reverted, byCommit };
}
