import { describe, expect, it } from 'vitest';
import { runIdFromCallbackUrl } from '../../src/core/protection/protection-callback-url.js';

const repo = { owner: 'acme', repo: 'shop' };
const GITHUB = 'https://api.github.com';
const GHE = 'https://ghe.example.com/api/v3';

describe('runIdFromCallbackUrl', () => {
  it.each<[string, string, string, number | null]>([
    ['github.com', 'https://api.github.com/repos/acme/shop/actions/runs/123456/deployment_protection_rule', GITHUB, 123456],
    ['owner and repo case-insensitive', 'https://api.github.com/repos/Acme/Shop/actions/runs/7/deployment_protection_rule', GITHUB, 7],
    ['GitHub Enterprise Server prefix', 'https://ghe.example.com/api/v3/repos/acme/shop/actions/runs/9/deployment_protection_rule', GHE, 9],
    ['GHE without its prefix', 'https://ghe.example.com/repos/acme/shop/actions/runs/9/deployment_protection_rule', GHE, null],
    ['another host', 'https://evil.example/repos/acme/shop/actions/runs/1/deployment_protection_rule', GITHUB, null],
    ['a look-alike host', 'https://api.github.com.evil.example/repos/acme/shop/actions/runs/1/deployment_protection_rule', GITHUB, null],
    ['http instead of https', 'http://api.github.com/repos/acme/shop/actions/runs/1/deployment_protection_rule', GITHUB, null],
    ['credentials in the URL', 'https://x:y@api.github.com/repos/acme/shop/actions/runs/1/deployment_protection_rule', GITHUB, null],
    ['another repository', 'https://api.github.com/repos/acme/other/actions/runs/1/deployment_protection_rule', GITHUB, null],
    ['another endpoint', 'https://api.github.com/repos/acme/shop/actions/runs/1/approve', GITHUB, null],
    ['path traversal', 'https://api.github.com/repos/acme/shop/actions/runs/1/../../../../x/deployment_protection_rule', GITHUB, null],
    ['a query string', 'https://api.github.com/repos/acme/shop/actions/runs/1/deployment_protection_rule?x=1', GITHUB, null],
    ['not a number', 'https://api.github.com/repos/acme/shop/actions/runs/abc/deployment_protection_rule', GITHUB, null],
    ['not a URL', 'not a url', GITHUB, null],
  ])('%s', (_name, url, api, expected) => {
    expect(runIdFromCallbackUrl(url, api, repo)).toBe(expected);
  });
});
