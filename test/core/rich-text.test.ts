import { describe, expect, it } from 'vitest';
import type { RichDoc } from '../../src/core/domain.js';
import { isFilled, richDocText, toRichDoc } from '../../src/core/jira-fields/rich-text.js';

// ADF builders (Atlassian Document Format, JIRA REST v3).
const text = (t: string, marks?: unknown[]) => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });
const para = (...content: unknown[]) => ({ type: 'paragraph', content });
const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const item = (...content: unknown[]) => ({ type: 'listItem', content });
const bullets = (...items: unknown[]) => ({ type: 'bulletList', content: items });
const numbered = (...items: unknown[]) => ({ type: 'orderedList', attrs: { order: 1 }, content: items });
const cell = (t: string, type = 'tableCell') => ({ type, attrs: {}, content: [para(text(t))] });
const row = (...cells: unknown[]) => ({ type: 'tableRow', content: cells });

interface Row {
  readonly name: string;
  readonly value: unknown;
  readonly doc: RichDoc;
  readonly filled: boolean;
}

const plainAndWiki: Row[] = [
  {
    name: 'a plain string is one paragraph',
    value: 'Low risk: config change only.',
    doc: [{ type: 'paragraph', text: 'Low risk: config change only.' }],
    filled: true,
  },
  { name: 'an empty string is empty', value: '', doc: [], filled: false },
  { name: 'whitespace only is empty', value: '  \n\t \r\n ', doc: [], filled: false },
  { name: '"-" alone is not filled', value: '-', doc: [{ type: 'paragraph', text: '-' }], filled: false },
  { name: '"-" with spaces is empty', value: '  - ', doc: [], filled: false },
  { name: 'punctuation only is not filled', value: '...', doc: [{ type: 'paragraph', text: '...' }], filled: false },
  { name: 'a single digit is filled', value: '0', doc: [{ type: 'paragraph', text: '0' }], filled: true },
  { name: 'non-Latin letters are filled', value: 'Риск низкий', doc: [{ type: 'paragraph', text: 'Риск низкий' }], filled: true },
  { name: 'runs of spaces collapse', value: 'Low   risk\u00a0 here', doc: [{ type: 'paragraph', text: 'Low risk here' }], filled: true },
  {
    name: 'lines of one paragraph are kept, blank lines split paragraphs',
    value: 'First line\nsecond line\n\nNext paragraph',
    doc: [
      { type: 'paragraph', text: 'First line\nsecond line' },
      { type: 'paragraph', text: 'Next paragraph' },
    ],
    filled: true,
  },
  {
    name: 'wiki h1. is a heading',
    value: 'h1. Risks\nLogin could break.',
    doc: [
      { type: 'heading', text: 'Risks' },
      { type: 'paragraph', text: 'Login could break.' },
    ],
    filled: true,
  },
  { name: 'wiki h3. with formatting is a heading', value: 'h3. *Rollback* plan', doc: [{ type: 'heading', text: 'Rollback plan' }], filled: true },
  {
    name: 'wiki *bold* _italic_ -strike- +under+ are dropped',
    value: '*Low* risk, _only_ -some- +config+',
    doc: [{ type: 'paragraph', text: 'Low risk, only some config' }],
    filled: true,
  },
  {
    name: 'wiki {{monospace}} keeps its text',
    value: 'Check {{/health}} returns 200',
    doc: [{ type: 'paragraph', text: 'Check /health returns 200' }],
    filled: true,
  },
  { name: 'wiki {color} is dropped', value: '{color:#ff0000}danger{color}', doc: [{ type: 'paragraph', text: 'danger' }], filled: true },
  {
    name: 'wiki * bullets with a nested ** item',
    value: '* Open the login page\n* Sign in\n** with SSO',
    doc: [{ type: 'list', ordered: false, items: ['Open the login page', 'Sign in', '– with SSO'] }],
    filled: true,
  },
  { name: 'wiki # numbered list', value: '# Deploy\n# Verify', doc: [{ type: 'list', ordered: true, items: ['Deploy', 'Verify'] }], filled: true },
  {
    name: 'wiki bullets then numbers are two lists',
    value: '* a\n# b',
    doc: [
      { type: 'list', ordered: false, items: ['a'] },
      { type: 'list', ordered: true, items: ['b'] },
    ],
    filled: true,
  },
  {
    name: 'wiki {code:bash}…{code} is a code block between paragraphs',
    value: 'Run:\n{code:bash}\ncurl -f https://acme.example/health\n{code}\nThen watch the graphs.',
    doc: [
      { type: 'paragraph', text: 'Run:' },
      { type: 'code', text: 'curl -f https://acme.example/health' },
      { type: 'paragraph', text: 'Then watch the graphs.' },
    ],
    filled: true,
  },
  { name: 'wiki {code} on one line', value: '{code}select 1{code}', doc: [{ type: 'code', text: 'select 1' }], filled: true },
  {
    name: 'wiki {code} keeps markup characters verbatim',
    value: '{noformat}\nraw *text* _here_\n{noformat}',
    doc: [{ type: 'code', text: 'raw *text* _here_' }],
    filled: true,
  },
  {
    name: 'wiki unclosed {code} keeps the rest as code',
    value: '{code}\nline one\nline two',
    doc: [{ type: 'code', text: 'line one\nline two' }],
    filled: true,
  },
  { name: 'wiki empty {code}{code} is empty', value: '{code}\n   \n{code}', doc: [], filled: false },
  { name: 'wiki {quote}…{quote} is a quote', value: '{quote}\nOps said *fine*\n{quote}', doc: [{ type: 'quote', text: 'Ops said fine' }], filled: true },
  { name: 'wiki bq. is a quote', value: 'bq. Approved by ops', doc: [{ type: 'quote', text: 'Approved by ops' }], filled: true },
  {
    name: 'wiki [label|url] and [url] links keep their targets',
    value: 'See [the runbook|https://wiki.acme.example/runbook] and [https://status.acme.example]',
    doc: [{ type: 'paragraph', text: 'See the runbook (https://wiki.acme.example/runbook) and https://status.acme.example' }],
    filled: true,
  },
  { name: 'wiki [~user] mention', value: 'Ask [~jdoe]', doc: [{ type: 'paragraph', text: 'Ask @jdoe' }], filled: true },
  {
    name: 'wiki table rows become paragraphs with cells joined by |',
    value: '||Check||Owner||\n|Login works|QA|\n|Error rate < 1%|Ops|',
    doc: [
      { type: 'paragraph', text: 'Check | Owner' },
      { type: 'paragraph', text: 'Login works | QA' },
      { type: 'paragraph', text: 'Error rate < 1% | Ops' },
    ],
    filled: true,
  },
  {
    name: 'wiki ---- rule separates paragraphs',
    value: 'Before\n----\nAfter',
    doc: [
      { type: 'paragraph', text: 'Before' },
      { type: 'paragraph', text: 'After' },
    ],
    filled: true,
  },
];

const adf: Row[] = [
  { name: 'ADF empty doc is empty', value: doc(), doc: [], filled: false },
  { name: 'ADF doc with only empty paragraphs is empty', value: doc(para(), para(text('   ')), { type: 'paragraph' }), doc: [], filled: false },
  { name: 'ADF doc with a hardBreak only is empty', value: doc(para({ type: 'hardBreak' })), doc: [], filled: false },
  { name: 'ADF doc with "-" only is not filled', value: doc(para(text('-'))), doc: [{ type: 'paragraph', text: '-' }], filled: false },
  { name: 'ADF rule only is empty', value: doc({ type: 'rule' }), doc: [], filled: false },
  {
    name: 'ADF paragraphs',
    value: doc(para(text('Low risk.')), para(text('Only '), text('config', [{ type: 'strong' }]), text('.'))),
    doc: [
      { type: 'paragraph', text: 'Low risk.' },
      { type: 'paragraph', text: 'Only config.' },
    ],
    filled: true,
  },
  {
    name: 'ADF hardBreak inside a paragraph keeps a line break',
    value: doc(para(text('one'), { type: 'hardBreak' }, text('two'))),
    doc: [{ type: 'paragraph', text: 'one\ntwo' }],
    filled: true,
  },
  {
    name: 'ADF heading',
    value: doc({ type: 'heading', attrs: { level: 2 }, content: [text('Rollback')] }),
    doc: [{ type: 'heading', text: 'Rollback' }],
    filled: true,
  },
  {
    name: 'ADF bullet list',
    value: doc(bullets(item(para(text('Open the page'))), item(para(text('Sign in'))))),
    doc: [{ type: 'list', ordered: false, items: ['Open the page', 'Sign in'] }],
    filled: true,
  },
  {
    name: 'ADF ordered list',
    value: doc(numbered(item(para(text('Deploy'))), item(para(text('Verify'))))),
    doc: [{ type: 'list', ordered: true, items: ['Deploy', 'Verify'] }],
    filled: true,
  },
  {
    name: 'ADF nested list items are folded into their parent item',
    value: doc(bullets(item(para(text('Sign in')), numbered(item(para(text('with SSO'))), item(para(text('with a password'))))), item(para(text('Sign out'))))),
    doc: [{ type: 'list', ordered: false, items: ['Sign in\n– with SSO\n– with a password', 'Sign out'] }],
    filled: true,
  },
  { name: 'ADF list of empty items is empty', value: doc(bullets(item(para()), item(para(text(' '))))), doc: [], filled: false },
  {
    name: 'ADF codeBlock keeps its text, trailing whitespace trimmed',
    value: doc({ type: 'codeBlock', attrs: { language: 'sql' }, content: [text('select count(*)\n  from logins;\n')] }),
    doc: [{ type: 'code', text: 'select count(*)\n  from logins;' }],
    filled: true,
  },
  {
    name: 'ADF blockquote',
    value: doc({ type: 'blockquote', content: [para(text('Approved by ops'))] }),
    doc: [{ type: 'quote', text: 'Approved by ops' }],
    filled: true,
  },
  {
    name: 'ADF panel content is kept',
    value: doc({ type: 'panel', attrs: { panelType: 'warning' }, content: [para(text('Feature flag off by default'))] }),
    doc: [{ type: 'paragraph', text: 'Feature flag off by default' }],
    filled: true,
  },
  {
    name: 'ADF table rows become paragraphs with cells joined by |',
    value: doc({ type: 'table', content: [row(cell('Check', 'tableHeader'), cell('Owner', 'tableHeader')), row(cell('Login works'), cell('QA'))] }),
    doc: [
      { type: 'paragraph', text: 'Check | Owner' },
      { type: 'paragraph', text: 'Login works | QA' },
    ],
    filled: true,
  },
  {
    name: 'ADF mention keeps its display text',
    value: doc(para(text('Ask '), { type: 'mention', attrs: { id: '5b10ac8d82e05b22cc7d4ef5', text: '@Jane Doe' } })),
    doc: [{ type: 'paragraph', text: 'Ask @Jane Doe' }],
    filled: true,
  },
  {
    name: 'ADF emoji keeps its text',
    value: doc(para(text('Looks good '), { type: 'emoji', attrs: { shortName: ':thumbsup:', text: '👍' } })),
    doc: [{ type: 'paragraph', text: 'Looks good 👍' }],
    filled: true,
  },
  {
    name: 'ADF emoji alone is not filled',
    value: doc(para({ type: 'emoji', attrs: { shortName: ':thumbsup:', text: '👍' } })),
    doc: [{ type: 'paragraph', text: '👍' }],
    filled: false,
  },
  {
    name: 'ADF emoji without text keeps its short name',
    value: doc(para({ type: 'emoji', attrs: { shortName: ':warning:' } })),
    doc: [{ type: 'paragraph', text: ':warning:' }],
    filled: true,
  },
  {
    name: 'ADF inlineCard keeps its URL',
    value: doc(para(text('Runbook: '), { type: 'inlineCard', attrs: { url: 'https://wiki.acme.example/runbook' } })),
    doc: [{ type: 'paragraph', text: 'Runbook: https://wiki.acme.example/runbook' }],
    filled: true,
  },
  {
    name: 'ADF link mark keeps its target after the label',
    value: doc(para(text('the runbook', [{ type: 'link', attrs: { href: 'https://wiki.acme.example/runbook' } }]))),
    doc: [{ type: 'paragraph', text: 'the runbook (https://wiki.acme.example/runbook)' }],
    filled: true,
  },
  {
    name: 'ADF link mark whose label is the URL is not repeated',
    value: doc(para(text('https://status.acme.example', [{ type: 'link', attrs: { href: 'https://status.acme.example' } }]))),
    doc: [{ type: 'paragraph', text: 'https://status.acme.example' }],
    filled: true,
  },
  {
    name: 'ADF status lozenge keeps its text',
    value: doc(para({ type: 'status', attrs: { text: 'APPROVED', color: 'green' } })),
    doc: [{ type: 'paragraph', text: 'APPROVED' }],
    filled: true,
  },
  {
    name: 'ADF date becomes an ISO day',
    value: doc(para({ type: 'date', attrs: { timestamp: '1700000000000' } })),
    doc: [{ type: 'paragraph', text: '2023-11-14' }],
    filled: true,
  },
  {
    name: 'ADF expand title becomes a heading',
    value: doc({ type: 'expand', attrs: { title: 'Details' }, content: [para(text('Hidden text'))] }),
    doc: [
      { type: 'heading', text: 'Details' },
      { type: 'paragraph', text: 'Hidden text' },
    ],
    filled: true,
  },
  {
    name: 'ADF unknown block keeps its text',
    value: doc({ type: 'futureBlock', content: [text('keep me')] }),
    doc: [{ type: 'paragraph', text: 'keep me' }],
    filled: true,
  },
];

const options: Row[] = [
  {
    name: 'select option {value}',
    value: { self: 'https://acme.atlassian.net/rest/api/3/customFieldOption/10100', value: 'High', id: '10100' },
    doc: [{ type: 'paragraph', text: 'High' }],
    filled: true,
  },
  {
    name: 'cascading select {value, child}',
    value: { value: 'High', id: '1', child: { value: 'Payments', id: '2' } },
    doc: [{ type: 'paragraph', text: 'High – Payments' }],
    filled: true,
  },
  {
    name: 'array of options is a bullet list',
    value: [{ value: 'Database' }, { value: 'Cache' }],
    doc: [{ type: 'list', ordered: false, items: ['Database', 'Cache'] }],
    filled: true,
  },
  { name: 'empty array is empty', value: [], doc: [], filled: false },
  { name: 'array of blank strings is empty', value: ['', '  '], doc: [], filled: false },
  {
    name: 'array of strings drops blank items',
    value: ['Login', ' ', 'Logout'],
    doc: [{ type: 'list', ordered: false, items: ['Login', 'Logout'] }],
    filled: true,
  },
  {
    name: 'array of ADF docs concatenates their blocks',
    value: [doc(para(text('one'))), doc(para(text('two')))],
    doc: [
      { type: 'paragraph', text: 'one' },
      { type: 'paragraph', text: 'two' },
    ],
    filled: true,
  },
  {
    name: 'user object gives its display name',
    value: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Jane Doe', active: true },
    doc: [{ type: 'paragraph', text: 'Jane Doe' }],
    filled: true,
  },
  { name: 'object with a name (e.g. a priority) gives the name', value: { id: '2', name: 'High' }, doc: [{ type: 'paragraph', text: 'High' }], filled: true },
  { name: 'number', value: 3, doc: [{ type: 'paragraph', text: '3' }], filled: true },
  { name: 'number 0 is filled', value: 0, doc: [{ type: 'paragraph', text: '0' }], filled: true },
  { name: 'NaN is empty', value: Number.NaN, doc: [], filled: false },
  { name: 'boolean true', value: true, doc: [{ type: 'paragraph', text: 'Yes' }], filled: true },
  { name: 'null is empty', value: null, doc: [], filled: false },
  { name: 'undefined is empty', value: undefined, doc: [], filled: false },
];

const garbage: Row[] = [
  { name: 'an object without known fields is empty', value: { foo: 1, bar: [2] }, doc: [], filled: false },
  { name: 'a doc whose content is not an array is empty', value: { type: 'doc', content: 'x' }, doc: [], filled: false },
  {
    name: 'a doc of junk nodes is empty',
    value: doc(42, null, 'text', [], { type: 'paragraph', content: [null, 7, { type: 'text', text: 5 }] }),
    doc: [],
    filled: false,
  },
  {
    name: 'a text node with malformed marks keeps its text',
    value: doc(para({ type: 'text', text: 'ok', marks: 'bold' }), para({ type: 'text', text: 'also', marks: [{ type: 'link' }] })),
    doc: [
      { type: 'paragraph', text: 'ok' },
      { type: 'paragraph', text: 'also' },
    ],
    filled: true,
  },
  { name: 'an option whose value is not a string is empty', value: { value: 5 }, doc: [], filled: false },
  { name: 'a function is empty', value: () => 'x', doc: [], filled: false },
  { name: 'a symbol is empty', value: Symbol('x'), doc: [], filled: false },
  {
    name: 'a list item with junk children is skipped',
    value: doc(bullets(null, 'x', item(para(text('real'))))),
    doc: [{ type: 'list', ordered: false, items: ['real'] }],
    filled: true,
  },
];

describe('toRichDoc and isFilled', () => {
  describe.each([
    ['plain strings and wiki markup (REST v2)', plainAndWiki],
    ['Atlassian Document Format (REST v3)', adf],
    ['options, users, numbers, arrays', options],
    ['garbage', garbage],
  ] as const)('%s', (_group, rows) => {
    it.each(rows)('$name', ({ value, doc: expected, filled }) => {
      const result = toRichDoc(value);
      expect(result).toEqual(expected);
      expect(isFilled(result)).toBe(filled);
    });
  });

  it('never throws on deeply nested junk', () => {
    let nested: unknown = { type: 'text', text: 'deep' };
    for (let i = 0; i < 200; i++) nested = { type: i % 2 ? 'paragraph' : 'unknownInline', content: [nested, null, 3] };
    expect(() => toRichDoc(doc(nested))).not.toThrow();
    expect(richDocText(toRichDoc(doc(nested)))).toContain('deep');
  });
});

describe('richDocText', () => {
  it('puts one block per line and list items on their own lines', () => {
    expect(
      richDocText([
        { type: 'heading', text: 'Checks' },
        { type: 'list', ordered: true, items: ['one', 'two'] },
        { type: 'code', text: 'curl x' },
      ]),
    ).toBe('Checks\none\ntwo\ncurl x');
  });
});
