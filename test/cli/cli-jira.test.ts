import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/core/domain.js';
import { main } from '../../src/cli/main.js';
import { buildScenario, captureIo, createTempDirs, type Scenario } from './git-test-repo.js';

const JIRA = 'https://jira.example.test';
const temp = createTempDirs();
let s: Scenario;

const FIELDS = [
  { id: 'summary', name: 'Summary' },
  { id: 'status', name: 'Status' },
  { id: 'customfield_10042', name: 'Risk Assessment' },
  { id: 'customfield_10043', name: 'Post-Deploy Checks' },
];

const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

function issue(key: string, status: string, summary: string, filled: boolean) {
  return {
    id: String(10_000 + Number(key.split('-')[1])),
    key,
    fields: {
      summary,
      issuetype: { name: 'Story' },
      status: { name: status },
      assignee: { displayName: 'Ada Lovelace' },
      customfield_10042: filled ? adf('Low: read-only endpoint behind a flag') : null,
      customfield_10043: filled ? adf('Open /price and check the total') : adf(' '),
    },
  };
}

beforeAll(() => {
  s = buildScenario(temp.make('jira'));
});
afterAll(() => temp.cleanup());
beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const cloudEnv = () => ({
  ...s.repo.env,
  JIRA_BASE_URL: JIRA,
  JIRA_EMAIL: 'bot@example.com',
  JIRA_API_TOKEN: 'secret-token',
});
const basicAuth = `Basic ${Buffer.from('bot@example.com:secret-token').toString('base64')}`;

async function run(args: string[], env: NodeJS.ProcessEnv, isTTY = false) {
  const cap = captureIo({ cwd: s.repo.dir, env, isTTY });
  const code = await main(args, cap.io);
  return { code, stdout: cap.stdout(), stderr: cap.stderr() };
}

describe('deploy-checker check with JIRA (Cloud)', () => {
  it('passes when every ticket is ready, showing the tickets and the fetch progress on a terminal', async () => {
    const scope = nock(JIRA)
      .matchHeader('authorization', basicAuth)
      .get('/rest/api/3/field')
      .reply(200, FIELDS)
      .post('/rest/api/3/issue/bulkfetch', (body: { issueIdsOrKeys: string[]; fields: string[] }) => {
        expect(body.issueIdsOrKeys).toEqual(['PROJ-2']);
        expect(body.fields).toEqual(expect.arrayContaining(['summary', 'status', 'customfield_10042', 'customfield_10043']));
        return true;
      })
      .reply(200, { issues: [issue('PROJ-2', 'Ready for Deploy', 'Add the price endpoint', true)] });

    const r = await run(['check', '--from', 'v1.0', '--to', s.sha.proj2, '--projects', 'PROJ'], cloudEnv(), true);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deploy-checker: PASS — All clear: 1 ticket ready, 1 commit checked\n/);
    expect(r.stdout).toContain(
      `  PROJ-2  [Ready for Deploy] Add the price endpoint\n          ${JIRA}/browse/PROJ-2\n          ${s.sha.proj2.slice(0, 7)} PROJ-2: add the price endpoint\n`,
    );
    expect(r.stdout).not.toContain('Ticket checks skipped');
    expect(r.stderr).toContain('\r\x1b[2Kfetching 1 ticket…');
    expect(r.stderr).not.toContain('secret-token');
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('fails on unready tickets, with projects discovered from JIRA; markdown links tickets and escapes summaries', async () => {
    const scope = nock(JIRA)
      .get('/rest/api/3/project/search')
      .query(true)
      .reply(200, { values: [{ key: 'PROJ' }, { key: 'OPS' }], isLast: true })
      .get('/rest/api/3/field')
      .reply(200, FIELDS)
      .post('/rest/api/3/issue/bulkfetch', (body: { issueIdsOrKeys: string[] }) => {
        expect([...body.issueIdsOrKeys].sort()).toEqual(['OPS-7', 'PROJ-2', 'PROJ-3']);
        return true;
      })
      .reply(200, {
        issues: [issue('PROJ-2', 'Done', 'Add the price endpoint', true), issue('PROJ-3', 'In Progress', 'Cart <b>v2</b> | *fast* @ops-team', false)],
      });

    const r = await run(['check', '--from', 'v1.0', '--to', 'v1.1', '--format', 'markdown'], cloudEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const md = r.stdout;
    expect(md).toContain('#### Problems (5)\n\n');
    expect(md).toContain('- [ ] **PROJ-3 is In Progress**: Move PROJ-3 to "Ready for Deploy" or "Done" in JIRA');
    expect(md).toContain('- [ ] **OPS-7 is unknown to JIRA**: ');
    expect(md).toContain('- [ ] **PROJ-3 has no risk assessment**: ');
    expect(md).toContain('- [ ] **PROJ-3 has no post-deploy checks**: ');
    expect(md).toContain(`- [ ] **commit ${s.sha.typo.slice(0, 7)} has no ticket**: `);
    expect(md).toContain(`| [PROJ-2](${JIRA}/browse/PROJ-2) | Add the price endpoint | Story | Done | \`${s.sha.proj2.slice(0, 7)}\` |`);
    expect(md).toContain(
      `| [PROJ-3](${JIRA}/browse/PROJ-3) | Cart &lt;b&gt;v2&lt;/b&gt; \\| \\*fast\\* @\u200bops-team | Story | In Progress | \`${s.sha.proj3.slice(0, 7)}\` |`,
    );
    expect(md).toContain(`| OPS-7 | _unknown to JIRA_ |  |  | \`${s.sha.ops7.slice(0, 7)}\` |`);
    expect(md).not.toContain('<b>');
    expect(md).not.toContain('Ticket checks skipped');
    expect(scope.isDone()).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('gives the report with the tickets as JSON', async () => {
    const scope = nock(JIRA)
      .get('/rest/api/3/field')
      .reply(200, FIELDS)
      .post('/rest/api/3/issue/bulkfetch')
      .reply(200, { issues: [issue('PROJ-2', 'Done', 'Add the price endpoint', true)] });
    const r = await run(['check', '--from', 'v1.0', '--to', s.sha.proj2, '--projects', 'PROJ', '--format', 'json'], cloudEnv());
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as DeployReport;
    expect(report.ticketChecksSkipped).toBe(false);
    expect(report.tickets).toEqual([
      {
        key: 'PROJ-2',
        commitShas: [s.sha.proj2],
        ticket: {
          key: 'PROJ-2',
          summary: 'Add the price endpoint',
          type: 'Story',
          status: 'Done',
          assignee: 'Ada Lovelace',
          riskAssessment: [{ type: 'paragraph', text: 'Low: read-only endpoint behind a flag' }],
          postDeployChecks: [{ type: 'paragraph', text: 'Open /price and check the total' }],
          riskLevel: null,
          url: `${JIRA}/browse/PROJ-2`,
        },
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('could not evaluate (exit 2, one line) when JIRA answers 500', async () => {
    const scope = nock(JIRA).get('/rest/api/3/field').reply(500, 'down for maintenance');
    const r = await run(['check', '--from', 'v1.0', '--to', 'v1.1', '--projects', 'PROJ,OPS'], { ...cloudEnv(), JIRA_MAX_ATTEMPTS: '1' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('deploy-checker: JIRA answered HTTP 500 while listing fields\n');
    expect(scope.isDone()).toBe(true);
  });

  it('could not evaluate when JIRA cannot be reached at all', async () => {
    const scope = nock(JIRA).get('/rest/api/3/project/search').query(true).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    const r = await run(['check', '--from', 'v1.0', '--to', 'v1.1'], { ...cloudEnv(), JIRA_MAX_ATTEMPTS: '1' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('deploy-checker: JIRA did not answer while listing projects (network error)\n');
    expect(scope.isDone()).toBe(true);
  });
});

describe('deploy-checker check with JIRA Data Center (JIRA_PAT)', () => {
  it('uses REST v2 search with a Bearer token', async () => {
    const scope = nock(JIRA)
      .matchHeader('authorization', 'Bearer dc-pat')
      .get('/rest/api/2/field')
      .reply(200, FIELDS)
      .post('/rest/api/2/search', (body: { jql: string }) => body.jql === 'key in (PROJ-2)')
      .reply(200, { issues: [issue('PROJ-2', 'Done', 'Add the price endpoint', true)], total: 1 });
    const r = await run(['check', '--from', 'v1.0', '--to', s.sha.proj2, '--projects', 'PROJ'], { ...s.repo.env, JIRA_BASE_URL: JIRA, JIRA_PAT: 'dc-pat' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PROJ-2  [Done] Add the price endpoint');
    expect(scope.isDone()).toBe(true);
  });
});
