import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { pino } from 'pino';
import { createJiraTransport } from '../../src/jira/jira-transport.js';
import { createJiraWriter, plainTextToAdf } from '../../src/jira/jira-writer.js';
import { useStrictNock } from '../helpers/strict-nock.js';

const logger = pino({ level: 'silent' });
const BASE = 'https://team.atlassian.test';
useStrictNock();

describe('JIRA writer (Cloud, REST v3)', () => {
  const writer = createJiraWriter(
    createJiraTransport({ baseUrl: BASE, auth: { kind: 'cloud', email: 'bot@example.com', apiToken: 't' }, logger, maxAttempts: 1 }),
  );

  it('sends comments as ADF with linked URLs and Basic auth', async () => {
    let body: unknown;
    nock(BASE, { reqheaders: { authorization: `Basic ${Buffer.from('bot@example.com:t').toString('base64')}` } })
      .post('/rest/api/3/issue/PROJ-1/comment', (b: unknown) => ((body = b), true))
      .reply(201, { id: '1' });
    await writer.addComment('PROJ-1', 'Deployed acme/shop.\n\nReport: https://checker.test/deploys/acme/shop/abc');
    expect(body).toEqual({
      body: {
        type: 'doc',
        version: 1,
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'Deployed acme/shop.' }] },
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'Report: ' },
              {
                type: 'text',
                text: 'https://checker.test/deploys/acme/shop/abc',
                marks: [{ type: 'link', attrs: { href: 'https://checker.test/deploys/acme/shop/abc' } }],
              },
            ],
          },
        ],
      },
    });
  });

  it('lists and applies transitions; a refusal rejects with JIRA’s reason', async () => {
    nock(BASE)
      .get('/rest/api/3/issue/PROJ-1/transitions')
      .reply(200, {
        transitions: [
          { id: '31', name: 'Release', to: { name: 'Released' } },
          { id: '41', name: 'Reopen' },
        ],
      })
      .post('/rest/api/3/issue/PROJ-1/transitions', { transition: { id: '31' } })
      .reply(400, { errorMessages: ['Transition is not valid'], errors: {} });
    expect(await writer.getTransitions('PROJ-1')).toEqual([
      { id: '31', name: 'Release', toStatus: 'Released' },
      { id: '41', name: 'Reopen', toStatus: null },
    ]);
    await expect(writer.transition('PROJ-1', '31')).rejects.toThrow('JIRA 400: Transition is not valid');
  });

  it('keeps line breaks inside a paragraph', () => {
    expect(plainTextToAdf('a\nb')).toEqual({
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'a' }, { type: 'hardBreak' }, { type: 'text', text: 'b' }] }],
    });
  });
});
