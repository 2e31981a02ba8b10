/**
 * User-supplied regular expressions (`commits.exempt`) are hostile input: one process serves every installation,
 * so they run on RE2 (the `re2js` port), whose matching time is linear in the subject, never on the backtracking
 * JavaScript engine. RE2 has no backreferences or lookarounds; such a pattern, or one over the limits below, is a
 * config error that names it. Patterns are compiled once per evaluation, not once per commit.
 */
import { RE2JS } from 're2js';

export const MAX_SUBJECT_PATTERN_LENGTH = 200;
export const MAX_SUBJECT_PATTERNS = 50;

/** How a pattern is named in an error: quoted, its start only when it is long. */
function quotePattern(pattern: string): string {
  return `"${pattern.length > MAX_SUBJECT_PATTERN_LENGTH ? `${pattern.slice(0, 40)}…` : pattern}"`;
}

function compileOrReason(pattern: string): { ok: true; compiled: RE2JS } | { ok: false; reason: string } {
  if (pattern.length > MAX_SUBJECT_PATTERN_LENGTH) {
    return { ok: false, reason: `${quotePattern(pattern)} is longer than ${MAX_SUBJECT_PATTERN_LENGTH} characters` };
  }
  try {
    return { ok: true, compiled: RE2JS.compile(pattern) };
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    return { ok: false, reason: `${quotePattern(pattern)} is not a supported regular expression (RE2 syntax): ${detail}` };
  }
}

/** Why RE2 cannot take this pattern (naming it), or null when it can. For the config schema. */
export function subjectPatternProblem(pattern: string): string | null {
  const result = compileOrReason(pattern);
  return result.ok ? null : result.reason;
}

/** Compiled patterns: which one (if any) matches a subject. */
export interface SubjectPatterns {
  /** The first pattern (as written in the config) that matches somewhere in `subject`, or null. */
  firstMatch(subject: string): string | null;
}

/** Compiles every pattern once. Throws (naming the pattern) on one the schema would have refused. */
export function compileSubjectPatterns(patterns: readonly string[]): SubjectPatterns {
  const compiled = patterns.map((pattern) => {
    const result = compileOrReason(pattern);
    if (!result.ok) throw new Error(`commits.exempt: ${result.reason}`);
    return { pattern, re: result.compiled };
  });
  return {
    firstMatch(subject) {
      for (const { pattern, re } of compiled) if (re.test(subject)) return pattern;
      return null;
    },
  };
}
