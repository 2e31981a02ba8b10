/**
 * A DeployReport as JSON (pure): the report object as stored and served by the web page, pretty-printed, with
 * `ticketChecksSkipped` moved to the front so that a reader sees first whether ticket data was looked up.
 */
import type { DeployReport } from '../domain.js';

export function formatReportJson(report: DeployReport): string {
  const { ticketChecksSkipped, ...rest } = report;
  return `${JSON.stringify({ ticketChecksSkipped, ...rest }, null, 2)}\n`;
}
