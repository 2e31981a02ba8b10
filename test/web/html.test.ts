import { describe, expect, it } from 'vitest';
import { reportPath, reportUrl, ticketPath } from '../../src/core/report-path.js';
import { escapeHtml, html, joinHtml, safeUrl, SafeHtml, trustedConstantHtml } from '../../src/web/html.js';

describe('html tagged template', () => {
  it('escapes every interpolated string', () => {
    const value = `<script>alert("x")</script> & 'y'`;
    expect(html`<p>${value}</p>`.html).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>');
  });

  it('escapes quotes so attribute values cannot be closed', () => {
    const value = `x" onmouseover="alert(1)`;
    expect(html`<a title="${value}">t</a>`.html).toBe('<a title="x&quot; onmouseover=&quot;alert(1)">t</a>');
  });

  it('keeps already-built SafeHtml as is and nests', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}</p>`.html).toBe('<p><b>&lt;i&gt;</b></p>');
  });

  it('renders arrays item by item, each escaped', () => {
    expect(html`<ul>${['<a>', html`<li>ok</li>`, 3]}</ul>`.html).toBe('<ul>&lt;a&gt;<li>ok</li>3</ul>');
  });

  it('renders null, undefined and booleans as nothing', () => {
    const no = false;
    expect(html`[${null}${undefined}${no && html`<b>x</b>`}${true}]`.html).toBe('[]');
  });

  it('escapes objects that slipped past the types by their text form', () => {
    const sneaky = { toString: () => '<img src=x onerror=alert(1)>' } as unknown as string;
    expect(html`${sneaky}`.html).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('cannot be forged with new SafeHtml', () => {
    expect(() => new SafeHtml(Symbol('SafeHtml') as never, '<script></script>')).toThrow(TypeError);
  });

  it('joins with an escaped separator', () => {
    expect(joinHtml(['a<', html`<b>b</b>`], ' & ').html).toBe('a&lt; &amp; <b>b</b>');
  });

  it('escapeHtml leaves plain text alone and trustedConstantHtml does not escape', () => {
    expect(escapeHtml('plain text 123')).toBe('plain text 123');
    expect(trustedConstantHtml('a > b').html).toBe('a > b');
  });
});

describe('safeUrl', () => {
  it.each([
    ['https://acme.atlassian.net/browse/PAY-1', 'https://acme.atlassian.net/browse/PAY-1'],
    ['http://example.com/a?b=1&c=2#d', 'http://example.com/a?b=1&c=2#d'],
    ['/deploys/acme/payments', '/deploys/acme/payments'],
    ['#ticket-PAY-1', '#ticket-PAY-1'],
    ['relative/path', 'relative/path'],
  ])('keeps %s', (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0001javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'http://[bad',
    '',
  ])('turns %j into #', (input) => {
    expect(safeUrl(input)).toBe('#');
  });

  it('turns null and undefined into #', () => {
    expect(safeUrl(null)).toBe('#');
    expect(safeUrl(undefined)).toBe('#');
  });

  it('is still escaped by html when put in an attribute', () => {
    expect(html`<a href="${safeUrl('https://x.test/?a=1&b="2"')}">x</a>`.html).toBe('<a href="https://x.test/?a=1&amp;b=%222%22">x</a>');
  });
});

describe('report paths', () => {
  it('builds URL-encoded page paths', () => {
    expect(reportPath({ owner: 'acme', repo: 'pay.ments' }, 'abc123')).toBe('/deploys/acme/pay.ments/abc123');
    expect(reportPath({ owner: 'a/b', repo: 'c?d' }, 'e#f')).toBe('/deploys/a%2Fb/c%3Fd/e%23f');
    expect(ticketPath('PAY-1')).toBe('/tickets/PAY-1');
    expect(reportUrl('https://deploys.example.com/', { owner: 'acme', repo: 'payments' }, 'abc')).toBe('https://deploys.example.com/deploys/acme/payments/abc');
  });
});
