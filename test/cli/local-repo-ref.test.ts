import { describe, expect, it } from 'vitest';
import { localRepoRef, repoRefFromRemoteUrl } from '../../src/cli/local-repo-ref.js';

describe('repoRefFromRemoteUrl', () => {
  it.each([
    ['https://github.com/acme/shop.git', 'acme/shop'],
    ['https://github.com/acme/shop', 'acme/shop'],
    ['https://github.com/acme/shop/', 'acme/shop'],
    ['https://x-access-token:ghs_secret@github.com/acme/shop.git', 'acme/shop'],
    ['http://ghe.example.com:8080/acme/shop.git', 'acme/shop'],
    ['https://gitlab.com/group/subgroup/shop.git', 'subgroup/shop'],
    ['git@github.com:acme/shop.git', 'acme/shop'],
    ['git@github.com:acme/shop', 'acme/shop'],
    ['github.com:acme/shop.git', 'acme/shop'],
    ['ssh://git@github.com/acme/shop.git', 'acme/shop'],
    ['ssh://git@ghe.example.com:2222/acme/shop', 'acme/shop'],
    ['git+ssh://git@github.com/acme/shop.git', 'acme/shop'],
    ['git://github.com/acme/shop.git', 'acme/shop'],
    ['  git@github.com:acme/my.service.git\n', 'acme/my.service'],
  ])('%s → %s', (url, expected) => {
    const ref = repoRefFromRemoteUrl(url);
    expect(ref && `${ref.owner}/${ref.repo}`).toBe(expected);
  });

  it.each([
    ['file:///srv/git/shop.git'],
    ['/srv/git/shop.git'],
    ['../shop'],
    ['C:/repos/acme/shop.git'],
    ['https://github.com/shop.git'],
    ['git@github.com:shop.git'],
    [''],
  ])('%j names no owner', (url) => {
    expect(repoRefFromRemoteUrl(url)).toBeNull();
  });
});

describe('localRepoRef', () => {
  it('prefers the remote, else the directory name (without the .git of a bare clone)', () => {
    expect(localRepoRef('/work/clone', 'git@github.com:acme/shop.git')).toEqual({ owner: 'acme', repo: 'shop' });
    expect(localRepoRef('/work/clone', '/srv/git/shop.git')).toEqual({ owner: '', repo: 'clone' });
    expect(localRepoRef('/srv/mirrors/shop.git', null)).toEqual({ owner: '', repo: 'shop' });
    expect(localRepoRef('/work/shop', null)).toEqual({ owner: '', repo: 'shop' });
  });
});
