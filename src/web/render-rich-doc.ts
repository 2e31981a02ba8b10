/** RichDoc blocks (risk assessment, post-deploy checks) as HTML. Pure; every text is escaped. */
import type { RichBlock, RichDoc } from '../core/domain.js';
import { html, type SafeHtml } from './html.js';

function renderBlock(block: RichBlock): SafeHtml {
  switch (block.type) {
    case 'paragraph':
      return html`<p>${block.text}</p>`;
    case 'heading':
      return html`<h4>${block.text}</h4>`;
    case 'list': {
      const items = block.items.map((item) => html`<li>${item}</li>`);
      return block.ordered ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`;
    }
    case 'code':
      return html`<pre><code>${block.text}</code></pre>`;
    case 'quote':
      return html`<blockquote>${block.text}</blockquote>`;
    default: {
      // A block kind this renderer does not know (newer data): show its text, if any, as a paragraph.
      const unknown = block as { text?: unknown };
      return typeof unknown.text === 'string' ? html`<p>${unknown.text}</p>` : html``;
    }
  }
}

/** True when the document has no visible text. */
export function isRichDocEmpty(doc: RichDoc): boolean {
  return doc.every((block) => (block.type === 'list' ? block.items.every((item) => item.trim() === '') : block.text.trim() === ''));
}

/** The document in a `.doc` box, or `emptyText` in muted type when it has no text. */
export function renderRichDoc(doc: RichDoc, emptyText: string): SafeHtml {
  if (isRichDocEmpty(doc)) return html`<p class="muted small">${emptyText}</p>`;
  return html`<div class="doc">${doc.map(renderBlock)}</div>`;
}
