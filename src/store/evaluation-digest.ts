/**
 * The content digest of an evaluation: SHA-256 of the report's canonical JSON (keys sorted at every level) without
 * the fields that say when and why it ran — `evaluatedAt`, `trigger`, `statusDescription` — nor the retention
 * marker `commitsPruned`. The same inputs (base, config effects, tickets as read) give the same digest, so a
 * re-check that saw nothing new stores nothing new.
 */
import { createHash } from 'node:crypto';
import type { DeployReport } from '../core/domain.js';

const NOT_CONTENT: ReadonlySet<string> = new Set(['evaluatedAt', 'trigger', 'statusDescription', 'commitsPruned']);

export function evaluationDigest(report: DeployReport): string {
  const content = Object.fromEntries(Object.entries(report).filter(([key]) => !NOT_CONTENT.has(key)));
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** JSON with object keys sorted and undefined members left out, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
