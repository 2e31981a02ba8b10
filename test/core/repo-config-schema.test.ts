import { describe, expect, it } from 'vitest';
import { branchesFromRawConfig, defaultRepoConfig, parseRepoConfig, repoConfigSchema } from '../../src/core/config/repo-config-schema.js';

describe('defaults', () => {
  it('an empty file gives every default', () => {
    expect(defaultRepoConfig).toEqual({
      branches: { deploy: 'deploy', production: 'production' },
      jira: {
        allowedStatuses: ['Ready for Deploy', 'Done'],
        fields: { riskAssessment: 'Risk Assessment', postDeployChecks: 'Post-Deploy Checks' },
        highRiskValues: ['High', 'Critical'],
        onDeploy: { comment: false, transition: null },
      },
      commits: { exempt: [], exemptAuthors: ['dependabot[bot]', 'renovate[bot]'] },
      rules: {
        commitWithoutTicket: true,
        unknownTicket: true,
        ticketStatus: true,
        riskAssessment: true,
        postDeployChecks: true,
        branchBehind: true,
      },
      status: { context: 'deploy-checker', prContext: 'deploy-checker/ticket', kind: 'status' },
      pullRequests: { exemptLabels: ['no-ticket'], skipDrafts: true },
      slack: { mention: [] },
      deploy: { signal: 'push', environment: 'production' },
    });
  });

  it.each([
    { name: 'a missing file (null)', raw: null },
    { name: 'undefined', raw: undefined },
    { name: 'an empty mapping', raw: {} },
    { name: 'empty sections', raw: { branches: {}, jira: {}, rules: {} } },
  ])('$name gives the defaults', ({ raw }) => {
    expect(parseRepoConfig(raw)).toEqual({ ok: true, config: defaultRepoConfig });
  });

  it('a partial section keeps the other defaults of that section', () => {
    const parsed = parseRepoConfig({ branches: { deploy: 'release' }, rules: { branchBehind: false }, jira: { fields: { riskLevel: 'Risk Level' } } });
    expect(parsed.ok && parsed.config.branches).toEqual({ deploy: 'release', production: 'production' });
    expect(parsed.ok && parsed.config.rules).toEqual({ ...defaultRepoConfig.rules, branchBehind: false });
    expect(parsed.ok && parsed.config.jira.fields).toEqual({
      riskAssessment: 'Risk Assessment',
      postDeployChecks: 'Post-Deploy Checks',
      riskLevel: 'Risk Level',
    });
  });

  it('a full valid file is taken as written', () => {
    const raw = {
      branches: { deploy: 'release', production: 'main' },
      jira: {
        projects: ['PROJ', 'OPS_2'],
        allowedStatuses: ['Released'],
        fields: { riskAssessment: 'customfield_10042', postDeployChecks: 'customfield_10043', riskLevel: 'customfield_10044' },
        highRiskValues: [],
        onDeploy: { comment: true, transition: 'Released' },
      },
      commits: { exempt: ['^MINOR:', '^Bump '], exemptAuthors: [] },
      rules: { commitWithoutTicket: false, unknownTicket: false, ticketStatus: false, riskAssessment: false, postDeployChecks: false, branchBehind: false },
      status: { context: 'deploys', prContext: 'deploys/pr', kind: 'check-run' },
      pullRequests: { exemptLabels: [], skipDrafts: false },
      slack: { channel: '#deploys', mention: [] },
      deploy: { signal: 'deployment', environment: 'prod' },
    };
    expect(parseRepoConfig(raw)).toEqual({ ok: true, config: raw });
  });
});

describe('invalid files name the key path', () => {
  it.each([
    { name: 'unknown top-level key', raw: { brnches: { deploy: 'x' } }, error: 'unknown key "brnches"' },
    { name: 'unknown status.kind', raw: { status: { kind: 'checks' } }, error: 'status.kind: Invalid option: expected one of "status"|"check-run"|"both"' },
    { name: 'unknown nested key', raw: { rules: { branchBehnd: false } }, error: 'rules: unknown key "branchBehnd"' },
    { name: 'several unknown keys', raw: { jira: { fields: { risk: 'x', checks: 'y' } } }, error: 'jira.fields: unknown key "risk", "checks"' },
    {
      name: 'wrong type: string for a boolean',
      raw: { rules: { branchBehind: 'yes' } },
      error: 'rules.branchBehind: Invalid input: expected boolean, received string',
    },
    { name: 'wrong type: number for a branch', raw: { branches: { deploy: 5 } }, error: 'branches.deploy: Invalid input: expected string, received number' },
    {
      name: 'wrong type: string for a list',
      raw: { jira: { allowedStatuses: 'Done' } },
      error: 'jira.allowedStatuses: Invalid input: expected array, received string',
    },
    { name: 'wrong type: list for a section', raw: { commits: ['^MINOR:'] }, error: 'commits: Invalid input: expected object, received array' },
    {
      name: 'bad regular expression',
      raw: { commits: { exempt: ['^MINOR:', '(unclosed'] } },
      error: 'commits.exempt.1: "(unclosed" is not a supported regular expression (RE2 syntax): missing closing ): `(unclosed`',
    },
    { name: 'lowercase project key', raw: { jira: { projects: ['proj'] } }, error: 'jira.projects.0: must be an upper-case JIRA project key such as PROJ' },
    {
      name: 'project key with a dash',
      raw: { jira: { projects: ['PROJ', 'MY-PROJ'] } },
      error: 'jira.projects.1: must be an upper-case JIRA project key such as PROJ',
    },
    { name: 'empty project list', raw: { jira: { projects: [] } }, error: 'jira.projects: Too small: expected array to have >=1 items' },
    { name: 'empty allowed statuses', raw: { jira: { allowedStatuses: [] } }, error: 'jira.allowedStatuses: Too small: expected array to have >=1 items' },
    {
      name: 'empty field name',
      raw: { jira: { fields: { riskAssessment: '' } } },
      error: 'jira.fields.riskAssessment: Too small: expected string to have >=1 characters',
    },
    { name: 'empty branch name', raw: { branches: { production: '' } }, error: 'branches.production: Too small: expected string to have >=1 characters' },
    {
      name: 'status context over 100 characters',
      raw: { status: { context: 'x'.repeat(101) } },
      error: 'status.context: Too big: expected string to have <=100 characters',
    },
    { name: 'unknown deploy signal', raw: { deploy: { signal: 'tag' } }, error: 'deploy.signal: Invalid option: expected one of "push"|"deployment"' },
    { name: 'empty Slack channel', raw: { slack: { channel: '' } }, error: 'slack.channel: Too small: expected string to have >=1 characters' },
    {
      name: 'a Slack mention that is not an id',
      raw: { slack: { mention: ['@here'] } },
      error: 'slack.mention.0: must be a Slack user group id (S…) or user id (U…/W…)',
    },
    {
      name: 'several problems are all listed',
      raw: { rules: { branchBehind: 1 }, jira: { projects: ['ok'] } },
      error: 'jira.projects.0: must be an upper-case JIRA project key such as PROJ; rules.branchBehind: Invalid input: expected boolean, received number',
    },
  ])('$name', ({ raw, error }) => {
    expect(parseRepoConfig(raw)).toEqual({ ok: false, error });
  });

  it.each([
    { name: 'a string', raw: 'deploy: x' },
    { name: 'a list', raw: [{ branches: {} }] },
    { name: 'a number', raw: 42 },
  ])('a file that is $name is not a mapping', ({ raw }) => {
    expect(parseRepoConfig(raw)).toEqual({ ok: false, error: 'the file must be a YAML mapping of keys to values' });
  });

  it('never throws on hostile input', () => {
    const hostile = Object.create({ branches: { deploy: 'inherited' } }) as Record<string, unknown>;
    hostile.rules = new Proxy({}, {});
    expect(() => parseRepoConfig(hostile)).not.toThrow();
    expect(() => parseRepoConfig({ commits: { exempt: [{ toString: () => '(' }] } })).not.toThrow();
  });
});

describe('commits.exempt: patterns run on RE2 (linear time), so what RE2 cannot run is a config error naming it', () => {
  it.each([
    { name: 'a backreference (the ReDoS shape RE2 refuses)', pattern: '^(a+)+\\1$', reason: 'invalid escape sequence' },
    { name: 'a lookahead', pattern: '^(?=WIP)', reason: 'invalid or unsupported Perl syntax' },
    { name: 'a negative lookahead', pattern: '^(?!PROJ-)', reason: 'invalid or unsupported Perl syntax' },
    { name: 'a lookbehind', pattern: '(?<=x)y', reason: 'invalid named capture' },
  ])('$name', ({ pattern, reason }) => {
    const parsed = parseRepoConfig({ commits: { exempt: ['^MINOR:', pattern] } });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain(`commits.exempt.1: "${pattern}" is not a supported regular expression (RE2 syntax): ${reason}`);
  });

  it('nested quantifiers such as ^(a+)+$ are accepted: RE2 runs them in linear time', () => {
    expect(parseRepoConfig({ commits: { exempt: ['^(a+)+$', '^(a|aa)+$', '(?i)^wip\\b'] } }).ok).toBe(true);
  });

  it('a pattern over 200 characters is a config error naming its start', () => {
    const pattern = `^${'x'.repeat(200)}`;
    expect(parseRepoConfig({ commits: { exempt: [pattern] } })).toEqual({
      ok: false,
      error: `commits.exempt.0: "^${'x'.repeat(39)}…" is longer than 200 characters`,
    });
  });

  it('more than 50 patterns is a config error', () => {
    const patterns = Array.from({ length: 51 }, (_, i) => `^P${i}:`);
    expect(parseRepoConfig({ commits: { exempt: patterns } })).toEqual({ ok: false, error: 'commits.exempt: at most 50 patterns' });
    expect(parseRepoConfig({ commits: { exempt: patterns.slice(1) } }).ok).toBe(true);
  });
});

describe('_extends', () => {
  it.each([
    { name: 'with an org .github repository', raw: { _extends: '.github', branches: { deploy: 'release' } } },
    { name: 'with a repo:path reference', raw: { _extends: 'acme/config:deploy-checker.yml', branches: { deploy: 'release' } } },
    { name: 'with a non-string value', raw: { _extends: 42, branches: { deploy: 'release' } } },
  ])('is ignored by validation $name', ({ raw }) => {
    const parsed = parseRepoConfig(raw);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.config.branches.deploy).toBe('release');
    expect(parsed.ok && '_extends' in parsed.config).toBe(false);
  });

  it('is not accepted inside a section', () => {
    expect(parseRepoConfig({ rules: { _extends: '.github' } })).toEqual({ ok: false, error: 'rules: unknown key "_extends"' });
  });

  it('the schema itself does not know _extends (parseRepoConfig strips it)', () => {
    expect(repoConfigSchema.safeParse({ _extends: '.github' }).success).toBe(false);
  });
});

describe('branchesFromRawConfig', () => {
  it.each([
    { name: 'both branches as strings', raw: { branches: { deploy: 'release', production: 'main' } }, branches: { deploy: 'release', production: 'main' } },
    {
      name: 'an invalid file still gives its branch names',
      raw: { branches: { deploy: 'release' }, rules: { nope: 1 } },
      branches: { deploy: 'release', production: 'production' },
    },
    {
      name: 'a non-string branch falls back to the default',
      raw: { branches: { deploy: 5, production: 'main' } },
      branches: { deploy: 'deploy', production: 'main' },
    },
    { name: 'branches that is not a mapping', raw: { branches: 'main' }, branches: { deploy: 'deploy', production: 'production' } },
    { name: 'no branches section', raw: { rules: {} }, branches: { deploy: 'deploy', production: 'production' } },
    { name: 'null (no file)', raw: null, branches: { deploy: 'deploy', production: 'production' } },
    { name: 'undefined', raw: undefined, branches: { deploy: 'deploy', production: 'production' } },
    { name: 'a string', raw: 'branches: x', branches: { deploy: 'deploy', production: 'production' } },
    { name: 'a list', raw: [1, 2], branches: { deploy: 'deploy', production: 'production' } },
  ])('$name', ({ raw, branches }) => {
    expect(branchesFromRawConfig(raw)).toEqual(branches);
  });
});
