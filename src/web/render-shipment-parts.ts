/**
 * Pieces several pages share: the "shipped with problems" flag of a shipment, the link to the evaluation a
 * shipment shipped, ticket-key lists with high-risk badges, and the "Page 2 of 20" navigation. Pure.
 */
import { shippedWithProblems, type ShipmentRecord } from '../core/records/shipment-record.js';
import { reportPath, ticketPath } from '../core/report-path.js';
import { html, type SafeHtml } from './html.js';

/** "⚠ shipped with N unresolved problems" / "⚠ shipped without a check" for a flagged or unchecked shipment; null otherwise. */
export function shipmentFlag(shipment: Pick<ShipmentRecord, 'checkState' | 'problemCount'>): SafeHtml | null {
  if (shipment.checkState === 'never-checked') return html` <span class="flag warn">⚠ never checked</span>`;
  if (!shippedWithProblems(shipment)) return null;
  const n = shipment.problemCount;
  const text =
    n > 0
      ? `⚠ shipped with ${n} unresolved ${n === 1 ? 'problem' : 'problems'}`
      : `⚠ shipped while its check ${shipment.checkState === 'error' ? 'could not finish' : 'was failing'}`;
  return html` <span class="flag bad">${text}</span>`;
}

/** The report page of the shipped SHA, naming the evaluation that was current when it shipped. */
export function shipmentReportPath(shipment: Pick<ShipmentRecord, 'repo' | 'toSha' | 'evaluationId'>): string {
  const path = reportPath(shipment.repo, shipment.toSha);
  return shipment.evaluationId === null ? path : `${path}?evaluation=${shipment.evaluationId}`;
}

/** Ticket keys linking to their pages, high-risk ones badged. */
export function renderTicketKeys(keys: readonly string[], highRisk: readonly string[]): SafeHtml {
  if (keys.length === 0) return html`<span class="muted">no stories</span>`;
  const risky = new Set(highRisk);
  return html`${keys.map(
    (key, i) => html`${i > 0 ? ', ' : null}<a href="${ticketPath(key)}">${key}</a>${risky.has(key) ? html` <span class="badge risk">high risk</span>` : null}`,
  )}`;
}

export interface PageNav {
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly noun: readonly [string, string];
  /** The link to another page, keeping the filters. */
  readonly href: (page: number) => string;
  readonly labels?: { readonly prev: string; readonly next: string };
}

/** "← Newer · Page 2 of 20 (980 reports) · Older →". */
export function renderPageNav(nav: PageNav): SafeHtml {
  const { page, pageSize, total, noun, href } = nav;
  const labels = nav.labels ?? { prev: '← Newer', next: 'Older →' };
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return html`<nav class="pages" aria-label="Pages">
${page > 1 ? html`<a href="${href(Math.min(page - 1, pages))}" rel="prev">${labels.prev}</a>` : null}
<span class="muted">Page ${page} of ${pages} (${total} ${total === 1 ? noun[0] : noun[1]})</span>
${page < pages ? html`<a href="${href(page + 1)}" rel="next">${labels.next}</a>` : null}
</nav>`;
}
