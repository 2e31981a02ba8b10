/**
 * The "Deployment protection" section of a report page: every protection review of the SHA (environment, state,
 * who decided and when, the comment GitHub shows, whether GitHub has it yet). Escaped by construction
 * (src/web/html.ts); the report page includes it when the SHA has reviews, each linking the evaluation it was
 * decided on (or waits on).
 */
import type { ProtectionReview } from '../store/protection-review-store.js';
import { formatUtc } from './format-time.js';
import { html, type SafeHtml } from './html.js';

const WAIT_REASONS: Readonly<Record<NonNullable<ProtectionReview['waitReason']>, string>> = {
  problems: 'held until the problems are fixed',
  approval: 'waiting for an approver in Slack',
  error: 'held: the deploy could not be checked',
  config: 'held: the config file is invalid',
};

function stateText(review: ProtectionReview): string {
  if (review.state === 'waiting') return review.waitReason ? `Waiting — ${WAIT_REASONS[review.waitReason]}` : 'Waiting — being checked';
  return review.state === 'approved' ? 'Approved' : 'Rejected';
}

/** The page of one stored evaluation (the report page's `?evaluation=ID`). */
export type EvaluationHref = (reportId: number) => string;

function row(review: ProtectionReview, evaluationHref: EvaluationHref | null): SafeHtml {
  const decided =
    review.decidedAt && review.decidedBy
      ? html`${review.decidedBy}, ${formatUtc(review.decidedAt)}${review.deliveredAt ? '' : ' (not yet accepted by GitHub)'}`
      : html`—`;
  const detail = review.state === 'waiting' ? review.waitDetail : review.comment;
  return html`<tr class="protection-${review.state}">
  <td>${review.environment}</td>
  <td>${stateText(review)}</td>
  <td>${formatUtc(review.requestedAt)}${review.requestedBy ? html` by ${review.requestedBy}` : ''}</td>
  <td>${decided}</td>
  <td class="protection-detail">${detail ?? ''}</td>
  <td>${review.reportId !== null && evaluationHref ? html`<a href="${evaluationHref(review.reportId)}">evaluation</a>` : '—'}</td>
</tr>`;
}

/** The section, or nothing when the SHA has no protection reviews. */
export function renderProtectionReviews(reviews: readonly ProtectionReview[], evaluationHref: EvaluationHref | null = null): SafeHtml {
  if (reviews.length === 0) return html``;
  return html`<section class="protection-reviews" aria-labelledby="protection-reviews-title">
<h2 id="protection-reviews-title">Deployment protection</h2>
<table>
<thead><tr><th scope="col">Environment</th><th scope="col">Answer</th><th scope="col">Requested</th><th scope="col">Decided</th><th scope="col">Comment</th><th scope="col">Evaluation</th></tr></thead>
<tbody>
${reviews.map((review) => row(review, evaluationHref))}
</tbody>
</table>
</section>`;
}
