import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mergeEnvironment, readEnvFile } from '../../src/app/load-env-file.js';
import { EnvError, readEnvOptions } from '../../src/app/read-env-options.js';
import { describeEffectiveConfig } from '../../src/app/describe-effective-config.js';
import { effectiveLogFormat } from '../../src/app/create-logger.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

describe('.env and the real environment', () => {
  it.each([
    ['only in .env', {}, { PORT: '4000' }, '4000'],
    ['only in the environment', { PORT: '5000' }, {}, '5000'],
    ['in both: the real environment wins', { PORT: '5000' }, { PORT: '4000' }, '5000'],
    ['empty in the environment: .env fills it', { PORT: '' }, { PORT: '4000' }, '4000'],
    ['in neither', {}, {}, undefined],
  ])('%s', (_name, real, file, expected) => {
    expect(mergeEnvironment(real, file)['PORT']).toBe(expected);
  });

  it('reads a .env file with quotes, comments and \\n in double quotes; a missing file is empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dc-env-'));
    writeFileSync(join(dir, '.env'), '# comment\nJIRA_BASE_URL=https://jira.example.com\nPRIVATE_KEY="a\\nb"\nEMPTY=\n');
    expect(readEnvFile(join(dir, '.env'))).toEqual({ JIRA_BASE_URL: 'https://jira.example.com', PRIVATE_KEY: 'a\nb', EMPTY: '' });
    expect(readEnvFile(join(dir, 'absent.env'))).toEqual({});
  });

  it('configures JIRA, Slack, the store and sign-in from .env alone', () => {
    const options = readEnvOptions(
      mergeEnvironment(
        {},
        {
          JIRA_BASE_URL: 'https://jira.example.com',
          JIRA_PAT: 'pat-from-dotenv',
          SLACK_BOT_TOKEN: 'xoxb-1',
          DATABASE_URL: 'sqlite::memory:',
          PUBLIC_URL: 'https://checker.example.com/',
          WEB_AUTH: 'off',
          PORT: '4100',
        },
      ),
    );
    expect(options.jira).toEqual({ baseUrl: 'https://jira.example.com', auth: { kind: 'datacenter', pat: 'pat-from-dotenv' } });
    expect(options.slack?.token).toBe('xoxb-1');
    expect(options.databaseUrl).toBe('sqlite::memory:');
    expect(options.publicUrl).toBe('https://checker.example.com');
    expect(options.server.port).toBe(4100);
  });
});

describe('server settings', () => {
  it('defaults: localhost:3000, Probot webhook path, 25 s shutdown, setup mode without credentials', () => {
    const { server } = readEnvOptions({ WEB_AUTH: 'off' });
    expect(server).toEqual({
      appId: null,
      privateKey: null,
      webhookSecret: null,
      port: 3000,
      host: 'localhost',
      webhookPath: '/api/github/webhooks',
      logFormat: null,
      shutdownTimeoutMs: 25_000,
      metricsToken: null,
    });
  });

  it('reads the App credentials (PEM with \\n escapes, as the setup flow writes them)', () => {
    const { server } = readEnvOptions({ APP_ID: '123', PRIVATE_KEY: privateKey.replace(/\n/g, '\\n'), WEBHOOK_SECRET: 's3cret', WEB_AUTH: 'off' });
    expect(server.appId).toBe(123);
    expect(server.privateKey).toBe(privateKey);
    expect(server.webhookSecret).toBe('s3cret');
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['APP_ID', { APP_ID: 'abc' }],
    ['LOG_FORMAT', { LOG_FORMAT: 'xml' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['SHUTDOWN_TIMEOUT_MS', { SHUTDOWN_TIMEOUT_MS: '-1' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'short' }],
    ['WEBHOOK_PATH', { WEBHOOK_PATH: 'hooks' }],
    ['PRIVATE_KEY', { PRIVATE_KEY: 'not-a-key-value' }],
    ['JIRA_BASE_URL', { JIRA_BASE_URL: 'ftp://jira' }],
  ])('an invalid %s stops start-up with one line naming it', (name, env) => {
    let error: unknown;
    try {
      readEnvOptions({ WEB_AUTH: 'off', ...env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
    // Never echo a secret-bearing value.
    expect(message).not.toContain('not-a-key-value');
  });
});

describe('the effective configuration logged at start', () => {
  it('names integrations, store, public URL and auth mode, and contains no secret', () => {
    const secrets = {
      PRIVATE_KEY: privateKey.replace(/\n/g, '\\n'),
      WEBHOOK_SECRET: 'webhook-secret-value',
      JIRA_API_TOKEN: 'jira-api-token-value',
      SLACK_BOT_TOKEN: 'xoxb-slack-token-value',
      GITHUB_CLIENT_SECRET: 'client-secret-value',
      SESSION_SECRET: 'session-secret-value-0123456789abcdef',
      METRICS_TOKEN: 'metrics-token-value',
      JIRA_WEBHOOK_SECRET: 'jira-webhook-secret-value',
      SLACK_SIGNING_SECRET: 'slack-signing-secret-value',
    };
    const options = readEnvOptions({
      APP_ID: '7',
      JIRA_BASE_URL: 'https://acme.atlassian.net',
      JIRA_EMAIL: 'bot@acme.test',
      GITHUB_CLIENT_ID: 'Iv1.client',
      DATABASE_URL: 'postgres://user:db-password-value@db.internal:5432/checker',
      PUBLIC_URL: 'https://checker.acme.test',
      ...secrets,
    });
    const text = JSON.stringify(describeEffectiveConfig(options));
    for (const value of [...Object.values(secrets), 'db-password-value', 'BEGIN PRIVATE KEY']) expect(text).not.toContain(value);
    expect(describeEffectiveConfig(options)).toMatchObject({
      publicUrl: 'https://checker.acme.test',
      webAuth: 'github',
      store: { kind: 'postgres', host: 'db.internal:5432', database: 'checker' },
      jira: { flavor: 'cloud', webhook: 'on' },
      slack: { apiUrl: 'https://slack.com/api/', approvals: 'on' },
      metrics: 'bearer token required',
      retentionDays: 180,
    });
  });
});

describe('log format', () => {
  it.each([
    [null, true, 'pretty'],
    [null, false, 'json'],
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
  ] as const)('LOG_FORMAT %s on a terminal=%s → %s', (format, tty, expected) => {
    expect(effectiveLogFormat(format, tty)).toBe(expected);
  });
});
