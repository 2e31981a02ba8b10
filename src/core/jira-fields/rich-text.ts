/**
 * JIRA field values → RichDoc, and "is it filled in". Pure.
 * Accepts what JIRA actually returns for the fields we read: Atlassian Document Format (REST v3), wiki markup
 * strings (REST v2), plain strings, select options ({value}), cascading selects ({value, child}), users
 * ({displayName}), numbers, and arrays of any of these. Anything else is treated as empty, never trusted.
 */
import type { RichBlock, RichDoc } from '../domain.js';

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const collapse = (s: string): string =>
  s
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();

// ---------- Atlassian Document Format ----------

function adfInline(node: Json): string {
  if (!isRecord(node)) return '';
  const attrs = isRecord(node.attrs) ? node.attrs : {};
  switch (node.type) {
    case 'text': {
      const text = typeof node.text === 'string' ? node.text : '';
      const marks = Array.isArray(node.marks) ? node.marks : [];
      const link = marks.find((m) => isRecord(m) && m.type === 'link');
      const href = isRecord(link) && isRecord(link.attrs) && typeof link.attrs.href === 'string' ? link.attrs.href : null;
      return href && href !== text ? `${text} (${href})` : text;
    }
    case 'hardBreak':
      return '\n';
    case 'mention':
    case 'status':
      return typeof attrs.text === 'string' ? attrs.text : '';
    case 'emoji':
      return typeof attrs.text === 'string' ? attrs.text : typeof attrs.shortName === 'string' ? attrs.shortName : '';
    case 'inlineCard':
    case 'blockCard':
      return typeof attrs.url === 'string' ? attrs.url : '';
    case 'date': {
      const ts = Number(attrs.timestamp);
      return Number.isFinite(ts) ? new Date(ts).toISOString().slice(0, 10) : '';
    }
    default:
      return Array.isArray(node.content) ? node.content.map(adfInline).join('') : '';
  }
}

function adfListItems(list: Record<string, Json>): string[] {
  const items: string[] = [];
  for (const item of Array.isArray(list.content) ? list.content : []) {
    if (!isRecord(item)) continue;
    const parts: string[] = [];
    for (const child of Array.isArray(item.content) ? item.content : []) {
      if (isRecord(child) && (child.type === 'bulletList' || child.type === 'orderedList')) {
        parts.push(...adfListItems(child).map((s) => `– ${s}`));
      } else {
        parts.push(adfInline(child));
      }
    }
    const text = collapse(parts.join('\n'));
    if (text) items.push(text);
  }
  return items;
}

function adfBlocks(node: Json, out: RichBlock[]): void {
  if (!isRecord(node)) return;
  const content = Array.isArray(node.content) ? node.content : [];
  switch (node.type) {
    case 'doc':
    case 'panel':
    case 'layoutSection':
    case 'layoutColumn':
    case 'nestedExpand':
    case 'mediaSingle':
    case 'mediaGroup':
      for (const c of content) adfBlocks(c, out);
      return;
    case 'expand': {
      const title = isRecord(node.attrs) && typeof node.attrs.title === 'string' ? collapse(node.attrs.title) : '';
      if (title) out.push({ type: 'heading', text: title });
      for (const c of content) adfBlocks(c, out);
      return;
    }
    case 'paragraph': {
      const text = collapse(content.map(adfInline).join(''));
      if (text) out.push({ type: 'paragraph', text });
      return;
    }
    case 'heading': {
      const text = collapse(content.map(adfInline).join(''));
      if (text) out.push({ type: 'heading', text });
      return;
    }
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
    case 'decisionList': {
      const items = adfListItems(node);
      if (items.length) out.push({ type: 'list', ordered: node.type === 'orderedList', items });
      return;
    }
    case 'codeBlock': {
      const text = content.map(adfInline).join('').replace(/\s+$/, '');
      if (text.trim()) out.push({ type: 'code', text });
      return;
    }
    case 'blockquote': {
      const inner: RichBlock[] = [];
      for (const c of content) adfBlocks(c, inner);
      const text = collapse(inner.map(blockText).join('\n'));
      if (text) out.push({ type: 'quote', text });
      return;
    }
    case 'table': {
      for (const row of content) {
        if (!isRecord(row)) continue;
        const cells = (Array.isArray(row.content) ? row.content : []).map((cell) => {
          const inner: RichBlock[] = [];
          if (isRecord(cell)) for (const c of Array.isArray(cell.content) ? cell.content : []) adfBlocks(c, inner);
          return collapse(inner.map(blockText).join(' '));
        });
        const text = cells.filter(Boolean).join(' | ');
        if (text) out.push({ type: 'paragraph', text });
      }
      return;
    }
    case 'rule':
    case 'media':
      return;
    default: {
      // Unknown block: keep its text rather than lose content.
      const text = collapse(adfInline(node));
      if (text) out.push({ type: 'paragraph', text });
    }
  }
}

function isAdfDoc(v: Json): v is Record<string, Json> {
  return isRecord(v) && v.type === 'doc' && Array.isArray(v.content);
}

// ---------- Wiki markup (REST v2) ----------

function wikiInline(s: string): string {
  return s
    .replace(/\[([^\]|]*)\|([^\]]+)\]/g, (_m, label: string, url: string) => (label ? `${label} (${url})` : url))
    .replace(/\[((?:https?|mailto):[^\]]+)\]/g, '$1')
    .replace(/\[~([^\]]+)\]/g, '@$1')
    .replace(/\{\{([^}]*)\}\}/g, '$1')
    .replace(/(^|[\s(])([*_+\-^~?]{1,2})(\S(?:.*?\S)?)\2(?=$|[\s).,;:!?])/g, '$1$3')
    .replace(/\{color(?::[^}]*)?\}/g, '');
}

function wikiBlocks(src: string): RichBlock[] {
  const out: RichBlock[] = [];
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flushPara = () => {
    const text = collapse(para.map(wikiInline).join('\n'));
    if (text) out.push({ type: 'paragraph', text });
    para = [];
  };
  const flushList = () => {
    if (list?.items.length) out.push({ type: 'list', ordered: list.ordered, items: list.items });
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*\{(code|noformat|quote)(?::[^}]*)?\}(.*)$/.exec(line);
    if (fence) {
      flushPara();
      flushList();
      const kind = fence[1]!;
      const body: string[] = [];
      let rest = fence[2] ?? '';
      const close = new RegExp(`\\{${kind}\\}`);
      let j = i;
      while (!close.test(rest) && j + 1 < lines.length) {
        if (rest) body.push(rest);
        j += 1;
        rest = lines[j]!;
      }
      const closeAt = rest.search(close);
      if (closeAt >= 0) body.push(rest.slice(0, closeAt));
      else if (rest) body.push(rest);
      i = j;
      const text = body.join('\n').replace(/\s+$/, '');
      if (text.trim()) out.push(kind === 'quote' ? { type: 'quote', text: collapse(wikiInline(text)) } : { type: 'code', text });
      continue;
    }
    const heading = /^\s*h[1-6]\.\s+(.*)$/.exec(line);
    if (heading) {
      flushPara();
      flushList();
      const text = collapse(wikiInline(heading[1]!));
      if (text) out.push({ type: 'heading', text });
      continue;
    }
    const bq = /^\s*bq\.\s+(.*)$/.exec(line);
    if (bq) {
      flushPara();
      flushList();
      const text = collapse(wikiInline(bq[1]!));
      if (text) out.push({ type: 'quote', text });
      continue;
    }
    const item = /^\s*([*#-]+)\s+(.*)$/.exec(line);
    if (item) {
      flushPara();
      const ordered = item[1]!.endsWith('#');
      if (!list || list.ordered !== ordered) {
        flushList();
        list = { ordered, items: [] };
      }
      const depth = item[1]!.length - 1;
      const text = collapse(wikiInline(item[2]!));
      if (text) list.items.push(depth > 0 ? `${'– '.repeat(depth)}${text}` : text);
      continue;
    }
    if (/^\s*\|/.test(line)) {
      flushPara();
      flushList();
      const text = collapse(
        wikiInline(
          line
            .split(/\|\|?/)
            .map((c) => c.trim())
            .filter(Boolean)
            .join(' | '),
        ),
      );
      if (text) out.push({ type: 'paragraph', text });
      continue;
    }
    if (!line.trim() || /^\s*----\s*$/.test(line)) {
      flushPara();
      flushList();
      continue;
    }
    flushList();
    para.push(line);
  }
  flushPara();
  flushList();
  return out;
}

// ---------- Options, users, arrays ----------

function scalarText(v: Json): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (isRecord(v)) {
    if (typeof v.value === 'string') {
      const child = isRecord(v.child) && typeof v.child.value === 'string' ? ` – ${v.child.value}` : '';
      return `${v.value}${child}`;
    }
    if (typeof v.displayName === 'string') return v.displayName;
    if (typeof v.name === 'string') return v.name;
  }
  return null;
}

/** Converts a raw JIRA field value to a RichDoc. Never throws. */
export function toRichDoc(value: Json): RichDoc {
  if (value === null || value === undefined) return [];
  if (isAdfDoc(value)) {
    const out: RichBlock[] = [];
    adfBlocks(value, out);
    return out;
  }
  if (typeof value === 'string') return wikiBlocks(value);
  if (Array.isArray(value)) {
    const simple = value.map(scalarText);
    if (simple.every((s) => s !== null)) {
      const items = (simple as string[]).map(collapse).filter(Boolean);
      return items.length ? [{ type: 'list', ordered: false, items }] : [];
    }
    return value.flatMap((v) => toRichDoc(v));
  }
  const text = scalarText(value);
  if (text !== null) {
    const t = collapse(text);
    return t ? [{ type: 'paragraph', text: t }] : [];
  }
  return [];
}

export function blockText(block: RichBlock): string {
  return block.type === 'list' ? block.items.join('\n') : block.text;
}

/** Plain text of a RichDoc, one block per line. */
export function richDocText(doc: RichDoc): string {
  return doc.map(blockText).join('\n');
}

/** "Filled in": some block holds a letter or digit (whitespace, empty paragraphs, or "-" alone are empty). */
export function isFilled(doc: RichDoc): boolean {
  return doc.some((b) => /[\p{L}\p{N}]/u.test(blockText(b)));
}
