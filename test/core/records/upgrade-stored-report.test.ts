/** Reports stored before the neutral names (c1c5731) are lifted to today's names; everything else is left alone. */
import { describe, expect, it } from 'vitest';
import { isLegacyStoredReport, upgradeStoredReport } from '../../../src/core/records/upgrade-stored-report.js';

const head = 'd'.repeat(40);
const base = 'b'.repeat(40);
const rest = { kind: 'deploy', repo: { owner: 'acme', repo: 'shop' }, trigger: 'push', tickets: [{ key: 'PROJ-1' }] };

describe('upgradeStoredReport', () => {
  it.each([
    {
      name: 'every old name renamed, the other fields kept in place',
      stored: { ...rest, productionBranch: 'production', deployBranch: 'deploy', productionSha: base, deploySha: head },
      upgraded: { ...rest, baseBranch: 'production', headBranch: 'deploy', baseSha: base, headSha: head },
    },
    {
      name: "'' for an unknown production SHA becomes null",
      stored: { ...rest, kind: 'pull_request', productionBranch: 'main', deployBranch: 'fix/x', productionSha: '', deploySha: head },
      upgraded: { ...rest, kind: 'pull_request', baseBranch: 'main', headBranch: 'fix/x', baseSha: null, headSha: head },
    },
    {
      name: "'' is only special for the base: an empty deploySha stays empty (and the schema refuses it)",
      stored: { ...rest, productionSha: base, deploySha: '' },
      upgraded: { ...rest, baseSha: base, headSha: '' },
    },
    {
      name: 'a report with both names keeps the new ones',
      stored: { ...rest, deploySha: 'old', headSha: head, productionSha: '', baseSha: base },
      upgraded: { ...rest, headSha: head, baseSha: base },
    },
    {
      name: 'only some old names (a hand-edited row): those are renamed',
      stored: { ...rest, deploySha: head, baseSha: null },
      upgraded: { ...rest, headSha: head, baseSha: null },
    },
  ])('$name', ({ stored, upgraded }) => {
    expect(isLegacyStoredReport(stored)).toBe(true);
    const result = upgradeStoredReport(stored);
    expect(result).toEqual(upgraded);
    expect(Object.keys(result as object)).toEqual(Object.keys(upgraded));
    expect(isLegacyStoredReport(result)).toBe(false);
  });

  it.each([
    { name: 'a report with the new names', value: { ...rest, baseBranch: 'production', headBranch: 'deploy', baseSha: null, headSha: head } },
    { name: 'a shipment', value: { kind: 'shipment', fromSha: null, toSha: head } },
    { name: 'null', value: null },
    { name: 'a string', value: 'deploySha' },
    { name: 'an array', value: [{ deploySha: head }] },
  ])('leaves $name untouched (the same value)', ({ value }) => {
    const before = JSON.stringify(value);
    expect(isLegacyStoredReport(value)).toBe(false);
    expect(upgradeStoredReport(value)).toBe(value);
    expect(JSON.stringify(value)).toBe(before);
  });

  it('does not change the stored value it upgrades', () => {
    const stored = { ...rest, productionSha: '', deploySha: head };
    const copy = structuredClone(stored);
    upgradeStoredReport(stored);
    expect(stored).toEqual(copy);
  });

  it('upgrading twice gives what upgrading once gives', () => {
    const once = upgradeStoredReport({ ...rest, productionBranch: 'p', deployBranch: 'd', productionSha: '', deploySha: head });
    expect(upgradeStoredReport(once)).toBe(once);
  });
});
