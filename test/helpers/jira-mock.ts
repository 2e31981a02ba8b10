/** nock builders for JIRA Cloud (REST v3) and Data Center (REST v2). */
import nock from 'nock';

export interface FakeTicket {
  key: string;
  summary?: string;
  status?: string;
  type?: string;
  assignee?: string | null;
  risk?: unknown;
  checks?: unknown;
  level?: unknown;
}

export const RISK_FIELD = 'customfield_10100';
export const CHECKS_FIELD = 'customfield_10101';
export const LEVEL_FIELD = 'customfield_10102';

export const adf = (...paragraphs: string[]) => ({
  type: 'doc',
  version: 1,
  content: paragraphs.map((text) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] })),
});

export const EMPTY_ADF = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [] }] };

export function readyTicket(key: string, overrides: Partial<FakeTicket> = {}): FakeTicket {
  return {
    key,
    summary: `Summary of ${key}`,
    status: 'Ready for Deploy',
    type: 'Story',
    assignee: 'Ada Lovelace',
    risk: adf('Low: copy change only'),
    checks: adf('Open the login page'),
    ...overrides,
  };
}

export function issueJson(t: FakeTicket, id: number): Record<string, unknown> {
  return {
    id: String(10000 + id),
    key: t.key,
    self: `https://jira.test/rest/api/3/issue/${10000 + id}`,
    fields: {
      summary: t.summary ?? `Summary of ${t.key}`,
      issuetype: { name: t.type ?? 'Story' },
      status: { name: t.status ?? 'Done' },
      assignee: t.assignee === null ? null : { displayName: t.assignee ?? 'Ada Lovelace' },
      [RISK_FIELD]: t.risk ?? null,
      [CHECKS_FIELD]: t.checks ?? null,
      ...(t.level !== undefined ? { [LEVEL_FIELD]: t.level } : {}),
    },
  };
}

export function mockJiraCloud(baseUrl: string) {
  const scope = () => nock(baseUrl);
  const bulkRequests: string[][] = [];
  return {
    bulkRequests,
    fields() {
      scope()
        .get('/rest/api/3/field')
        .reply(200, [
          { id: 'summary', name: 'Summary', custom: false },
          { id: RISK_FIELD, name: 'Risk Assessment', custom: true },
          { id: CHECKS_FIELD, name: 'Post-Deploy Checks', custom: true },
          { id: LEVEL_FIELD, name: 'Risk Level', custom: true },
        ]);
    },
    /** One bulkfetch call answering with the tickets JIRA knows among the requested keys. */
    bulkfetch(known: FakeTicket[], times = 1) {
      const byKey = new Map(known.map((t) => [t.key, t]));
      scope()
        .post('/rest/api/3/issue/bulkfetch', (body: { issueIdsOrKeys: string[]; fields: string[] }) => {
          return Array.isArray(body.issueIdsOrKeys) && body.issueIdsOrKeys.length <= 100 && body.fields.includes(RISK_FIELD);
        })
        .times(times)
        .reply(200, (_uri: string, body: { issueIdsOrKeys: string[] }) => {
          bulkRequests.push(body.issueIdsOrKeys);
          const issues = body.issueIdsOrKeys.filter((k) => byKey.has(k)).map((k, i) => issueJson(byKey.get(k)!, i));
          const issueErrors = body.issueIdsOrKeys
            .filter((k) => !byKey.has(k))
            .map((k) => ({ errorMessages: [`Issue ${k} does not exist or you do not have permission to see it.`] }));
          return { expand: '', issues, issueErrors };
        });
    },
    bulkfetchFails(status: number) {
      scope()
        .post('/rest/api/3/issue/bulkfetch')
        .reply(status, { errorMessages: ['Internal server error'] });
    },
    projects(keys: string[]) {
      scope()
        .get('/rest/api/3/project/search')
        .query(true)
        .reply(200, { startAt: 0, maxResults: 50, total: keys.length, isLast: true, values: keys.map((key, i) => ({ id: String(i), key, name: key })) });
    },
  };
}
