/**
 * What a check run shows for a report (pure): the title (the status line), the Markdown summary within GitHub's
 * 65,535-character limit (problems with what to do, then the ticket table with status, risk level, risk assessment
 * and post-deploy checks — src/core/report/format-report-markdown.ts, cut to fit), the conclusion and the
 * "Re-check JIRA" requested action.
 *
 * Conclusion: success → `success`, failure → `failure`, and an error (GitHub, JIRA or the config failed) →
 * `failure` with the reason as the title: `action_required` would need a details URL (absent without PUBLIC_URL)
 * and reads as "a person must act", while most errors are outages that a re-check clears.
 */
import type { DeployReport } from '../domain.js';
import type { CheckRunOutput, FinalCommitState } from '../ports.js';
import { formatReportMarkdown, utf8Length } from './format-report-markdown.js';
import { truncateDescription } from './status-description.js';

/** GitHub's limit on `output.summary` (and `output.text`). */
export const CHECK_RUN_SUMMARY_MAX = 65_535;
/** What the summary stays within, in UTF-8 bytes (so within the limit however GitHub counts). */
export const CHECK_RUN_SUMMARY_MAX_BYTES = 64_000;
/** Titles are the one-line status description (≤140 characters). */
export const CHECK_RUN_TITLE_MAX = 140;

/** GitHub's limits on a requested action. */
export const CHECK_RUN_ACTION_LIMITS = { label: 20, identifier: 20, description: 40 } as const;

export const RECHECK_ACTION_IDENTIFIER = 'recheck';
/** The button on the check run: re-reads the tickets from JIRA and re-evaluates the head. */
export const RECHECK_ACTION = { label: 'Re-check JIRA', identifier: RECHECK_ACTION_IDENTIFIER, description: 'Read the tickets again and re-check' } as const;

export type CheckRunConclusion = 'success' | 'failure';

export function checkRunConclusion(state: FinalCommitState): CheckRunConclusion {
  return state === 'success' ? 'success' : 'failure';
}

const WHAT_TO_DO_ON_ERROR = 'Nothing was concluded. Fix the cause named above (or wait for the outage to end), then press **Re-check JIRA** or push again.';

/** Title and summary of the check run for `report`; `description` is the status line posted with it. */
export function buildCheckRunOutput(report: DeployReport, description: string, options: { maxBytes?: number } = {}): CheckRunOutput {
  const maxBytes = Math.min(options.maxBytes ?? CHECK_RUN_SUMMARY_MAX_BYTES, CHECK_RUN_SUMMARY_MAX);
  const footer = report.state === 'error' ? `\n${WHAT_TO_DO_ON_ERROR}\n` : '';
  const body = formatReportMarkdown(report, {
    maxBytes: maxBytes - utf8Length(footer),
    ticketColumns: 'risk',
    fullListHint: 'the full list is on the report page (Details)',
  });
  return { title: truncateDescription(description, CHECK_RUN_TITLE_MAX) || 'deploy-checker', summary: `${body}${footer}` };
}
