/**
 * A minimal JiraWriter over JIRA Data Center's REST v2 with fetch, for the announcer's tests only (the app's
 * real writers for Cloud and Data Center live elsewhere). Non-2xx answers reject with JIRA's error messages.
 */
import type { JiraTransition, JiraWriter } from '../../src/core/slack-announcement/jira-writer.js';

async function check(res: Response): Promise<void> {
  if (res.ok) return;
  let detail = res.statusText;
  try {
    const body = (await res.json()) as { errorMessages?: string[]; errors?: Record<string, string> };
    detail = [...(body.errorMessages ?? []), ...Object.values(body.errors ?? {})].join('; ') || detail;
  } catch {
    // not JSON
  }
  throw new Error(`JIRA ${res.status}: ${detail}`);
}

export function createFetchJiraWriter(baseUrl: string): JiraWriter {
  const issue = (key: string) => `${baseUrl}/rest/api/2/issue/${encodeURIComponent(key)}`;
  const headers = { 'content-type': 'application/json', authorization: 'Bearer jira-test-token' };
  return {
    async addComment(key, text) {
      await check(await fetch(`${issue(key)}/comment`, { method: 'POST', headers, body: JSON.stringify({ body: text }) }));
    },
    async getTransitions(key) {
      const res = await fetch(`${issue(key)}/transitions`, { headers });
      await check(res);
      const body = (await res.json()) as { transitions: { id: string; name: string; to?: { name?: string } }[] };
      return body.transitions.map((t): JiraTransition => ({ id: t.id, name: t.name, toStatus: t.to?.name ?? null }));
    },
    async transition(key, transitionId) {
      await check(await fetch(`${issue(key)}/transitions`, { method: 'POST', headers, body: JSON.stringify({ transition: { id: transitionId } }) }));
    },
  };
}
