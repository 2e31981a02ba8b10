/**
 * Reports stored before the neutral names (commit c1c5731) said `deploySha`/`productionSha`/`deployBranch`/
 * `productionBranch`, and `''` for an unknown production SHA. This lifts such a report to today's names: it is
 * applied on every read (so a row the 0007 migration has not rewritten still loads) and by the migration itself.
 * Pure; anything that is not a legacy report is returned unchanged (the same value).
 */

const RENAMES = [
  ['deploySha', 'headSha'],
  ['productionSha', 'baseSha'],
  ['deployBranch', 'headBranch'],
  ['productionBranch', 'baseBranch'],
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when the value still has one of the old field names. */
export function isLegacyStoredReport(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && RENAMES.some(([from]) => Object.hasOwn(value, from));
}

export function upgradeStoredReport(value: unknown): unknown {
  if (!isLegacyStoredReport(value)) return value;
  const upgraded: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const rename = RENAMES.find(([from]) => from === key);
    if (rename === undefined) {
      upgraded[key] = field;
      continue;
    }
    const [, to] = rename;
    // A report that somehow has both names keeps the new one.
    if (Object.hasOwn(value, to)) continue;
    upgraded[to] = to === 'baseSha' && field === '' ? null : field;
  }
  return upgraded;
}
