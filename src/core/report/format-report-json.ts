/** A DeployReport as JSON: the report object exactly as stored and served by the web page, pretty-printed (pure). */
import type { DeployReport } from '../domain.js';

export function formatReportJson(report: DeployReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
