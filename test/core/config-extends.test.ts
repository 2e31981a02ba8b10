import { describe, expect, it } from 'vitest';
import { resolveExtendsTarget } from '../../src/core/config/config-extends.js';

const from = { owner: 'acme', path: '.github/deploy-checker.yml' };

describe('resolveExtendsTarget: Probot syntax, same owner only', () => {
  it.each([
    { value: '.github', target: { owner: 'acme', repo: '.github', path: '.github/deploy-checker.yml' } },
    { value: 'shared-config', target: { owner: 'acme', repo: 'shared-config', path: '.github/deploy-checker.yml' } },
    { value: 'shared-config:deploy/base.yml', target: { owner: 'acme', repo: 'shared-config', path: 'deploy/base.yml' } },
    { value: 'acme/shared-config', target: { owner: 'acme', repo: 'shared-config', path: '.github/deploy-checker.yml' } },
    { value: 'ACME/shared-config:x.yaml', target: { owner: 'acme', repo: 'shared-config', path: 'x.yaml' } },
  ])('$value', ({ value, target }) => {
    expect(resolveExtendsTarget(value, from)).toEqual({ ok: true, target });
  });

  it.each([
    { name: 'another owner', value: 'evil-corp/secrets:deploy/prod-secrets.yml' },
    { name: 'another owner, default path', value: 'other/.github' },
  ])('refuses $name without repeating the value', ({ value }) => {
    const result = resolveExtendsTarget(value, from);
    expect(result).toEqual({ ok: false, error: "has an _extends that names another owner's repository; only repositories of acme can be extended" });
  });

  it.each([{ value: 42 }, { value: 'a/b/c' }, { value: 'repo:file.txt' }, { value: '' }])('refuses an invalid value $value', ({ value }) => {
    expect(resolveExtendsTarget(value, from)).toEqual({ ok: false, error: 'has an invalid _extends value' });
  });
});
