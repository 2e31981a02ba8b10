/**
 * Which tickets the announcement calls out as high-risk: the risk level field's value, or the first words of
 * the risk assessment, matches one of `jira.highRiskValues` (case-insensitive, as a whole word: "High" matches
 * "HIGH: touches billing" and "Risk: high", not "Highway"). Pure.
 */
import type { RichDoc, TicketSnapshot } from '../domain.js';

/** The lines of a rich document, in order, without empty ones. */
export function richDocLines(doc: RichDoc): string[] {
  const lines: string[] = [];
  for (const block of doc) {
    const parts = block.type === 'list' ? block.items : block.text.split(/\r?\n/);
    for (const part of parts) {
      const line = part.trim();
      if (line !== '') lines.push(line);
    }
  }
  return lines;
}

/** Leading markup and an optional "Risk:" / "Risk level -" label, before the value itself. */
const LEADING_NOISE = /^[\s*_~>#\-•·:[\](){}"'`]*(?:risk(?:\s+level)?[\s*_~"'`]*[:=\-–—][\s*_~"'`]*)?/i;

function startsWithWord(text: string, value: string): boolean {
  const t = text.toLowerCase();
  const v = value.trim().toLowerCase();
  if (v === '' || !t.startsWith(v)) return false;
  const next = t.slice(v.length, v.length + 1);
  return next === '' || !/[\p{L}\p{N}]/u.test(next);
}

export function isHighRisk(ticket: TicketSnapshot | null, highRiskValues: readonly string[]): boolean {
  if (ticket === null || highRiskValues.length === 0) return false;
  const level = ticket.riskLevel?.trim() ?? '';
  if (level !== '') {
    const cleanLevel = level.replace(LEADING_NOISE, '');
    if (highRiskValues.some((v) => startsWithWord(cleanLevel, v))) return true;
  }
  const first = richDocLines(ticket.riskAssessment)[0];
  if (first === undefined) return false;
  const cleanFirst = first.replace(LEADING_NOISE, '');
  return highRiskValues.some((v) => startsWithWord(cleanFirst, v));
}
