/**
 * A tiny HTML builder that escapes by construction.
 *
 * `html\`<p>${value}</p>\`` escapes every interpolated value unless it is a SafeHtml (something this builder
 * made). Arrays are rendered item by item; null, undefined and booleans render as nothing (so `cond && html…`
 * works). All five of & < > " ' are escaped, so interpolations are safe in text and in quoted attribute values.
 * URLs that come from outside go through `safeUrl()` before they reach an href.
 */

const CONSTRUCT = Symbol('SafeHtml');

/** HTML that is safe to emit as is. Only this module can make one. */
export class SafeHtml {
  readonly html: string;

  constructor(token: typeof CONSTRUCT, htmlText: string) {
    if (token !== CONSTRUCT) throw new TypeError('SafeHtml is made with html`…`, not with new');
    this.html = htmlText;
  }

  toString(): string {
    return this.html;
  }
}

export type HtmlValue = SafeHtml | string | number | bigint | boolean | null | undefined | readonly HtmlValue[];

const NEEDS_ESCAPE = /[&<>"']/;
const ESCAPE_ALL = /[&<>"']/g;
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPE_ALL, (ch) => ENTITIES[ch] ?? ch) : text;
}

function renderValue(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.html;
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number' || typeof value === 'bigint') return escapeHtml(String(value));
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value as readonly HtmlValue[]) out += renderValue(item);
    return out;
  }
  // Anything else that slipped past the types (an object from parsed data): escape its text form.
  return escapeHtml(String(value));
}

/** Tagged template: the literal parts are trusted markup, every interpolation is escaped. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i += 1) {
    out += renderValue(values[i]);
    out += strings[i + 1] ?? '';
  }
  return new SafeHtml(CONSTRUCT, out);
}

/** Joins values (each escaped unless SafeHtml) with an escaped separator. */
export function joinHtml(values: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  const sep = renderValue(separator);
  let out = '';
  for (let i = 0; i < values.length; i += 1) {
    if (i > 0) out += sep;
    out += renderValue(values[i]);
  }
  return new SafeHtml(CONSTRUCT, out);
}

/**
 * Wraps a compile-time constant of this code base (the stylesheet) as SafeHtml. Never pass data to it: the
 * name is long on purpose so that a reviewer sees every call.
 */
export function trustedConstantHtml(constant: string): SafeHtml {
  return new SafeHtml(CONSTRUCT, constant);
}

const RELATIVE_BASE = 'http://relative.invalid';

/**
 * A URL fit for an href: http(s) absolute URLs and relative references are kept (normalised the way a browser
 * reads them, so tabs, newlines or control characters cannot smuggle a scheme through); anything else
 * (javascript:, data:, vbscript:, unparsable) becomes `#`. The result still needs escaping, which `html` does.
 */
export function safeUrl(url: string | null | undefined): string {
  if (typeof url !== 'string') return '#';
  const trimmed = url.trim();
  if (trimmed === '') return '#';
  let parsed: URL;
  try {
    parsed = new URL(trimmed, `${RELATIVE_BASE}/`);
  } catch {
    return '#';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return '#';
  if (parsed.origin === RELATIVE_BASE) {
    // A relative reference: keep it relative, in the normalised form the browser would resolve.
    const hasLeadingSlash = /^[\\/]/.test(trimmed);
    if (trimmed.startsWith('#')) return parsed.hash || '#';
    if (trimmed.startsWith('?')) return `${parsed.search}${parsed.hash}`;
    return hasLeadingSlash ? `${parsed.pathname}${parsed.search}${parsed.hash}` : trimmed.replace(/[\u0000-\u001f\u007f]/g, '');
  }
  return parsed.href;
}
