import { describe, expect, it } from 'vitest';
import type { RichDoc } from '../../src/core/domain.js';
import { isHighRisk, richDocLines } from '../../src/core/slack-announcement/high-risk.js';
import { doc, ticket } from './deploy-announcement-fixtures.js';

const values = ['High', 'Critical'];

describe('isHighRisk', () => {
  it.each<[string, string | null, RichDoc, boolean]>([
    ['risk level equal', 'High', [], true],
    ['risk level other case', 'CRITICAL', [], true],
    ['risk level with detail', 'High - payments', [], true],
    ['risk level low', 'Low', doc('Low: UI only'), false],
    ['risk level medium-high is not high', 'Medium-High', [], false],
    ['assessment starts with the value', null, doc('High: touches billing'), true],
    ['assessment in upper case', null, doc('HIGH risk, all payments'), true],
    ['assessment with a Risk label', null, doc('Risk: critical — schema migration'), true],
    ['assessment with a Risk level label and bold', null, doc('*Risk level:* High'), true],
    ['assessment as a list', null, [{ type: 'list', ordered: false, items: ['High', 'because payments'] }], true],
    [
      'assessment heading',
      null,
      [
        { type: 'heading', text: 'Critical' },
        { type: 'paragraph', text: 'x' },
      ],
      true,
    ],
    ['value inside a longer word', null, doc('Highway signs text change'), false],
    ['value later in the text', null, doc('Low, but high impact if wrong'), false],
    ['value only in the second line', null, doc('Low', 'High'), false],
    ['empty assessment, no level', null, [], false],
    ['level low but assessment high', 'Low', doc('High: payments'), true],
  ])('%s', (_name, riskLevel, riskAssessment, expected) => {
    expect(isHighRisk(ticket('R-1', { riskLevel, riskAssessment }), values)).toBe(expected);
  });

  it('is never true without configured values or without a ticket', () => {
    expect(isHighRisk(ticket('R-1', { riskLevel: 'High' }), [])).toBe(false);
    expect(isHighRisk(null, values)).toBe(false);
  });

  it('uses the configured words', () => {
    expect(isHighRisk(ticket('R-1', { riskLevel: 'Hoch' }), ['hoch'])).toBe(true);
    expect(isHighRisk(ticket('R-1', { riskLevel: 'High' }), ['hoch'])).toBe(false);
  });
});

describe('richDocLines', () => {
  it('flattens blocks into non-empty lines', () => {
    expect(
      richDocLines([
        { type: 'paragraph', text: 'one\n\n two ' },
        { type: 'list', ordered: true, items: ['a', ' ', 'b'] },
        { type: 'code', text: 'curl x' },
        { type: 'quote', text: 'q' },
      ]),
    ).toEqual(['one', 'two', 'a', 'b', 'curl x', 'q']);
  });
});
