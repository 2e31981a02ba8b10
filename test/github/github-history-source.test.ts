/**
 * GitHub's compare read through the history source: page 1 first, pages 2…N concurrently (bounded) and assembled in
 * order, the "Checking N commits…" callback never in front of the page reads, and the safety checks (partial,
 * overlapping or disagreeing pages) kept. Strict nock; replies are delayed so concurrency can be counted.
 */
import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { COMPARE_PAGE_CONCURRENCY, createGitHubHistorySource as createHistorySourceOverEdge } from '../../src/github/github-history-source.js';
import { createGitHubEdge, type Octokit } from '../../src/github/github-edge.js';
import type { RepoRef } from '../../src/core/domain.js';
import { CheckFailure } from '../../src/core/check-failure.js';
import { apiCommit, fakeSha, GITHUB_API } from '../helpers/github-mock.js';
import { useStrictNock } from '../helpers/strict-nock.js';

useStrictNock();

const repo = { owner: 'acme', repo: 'shop' };
const BASE = fakeSha('history-base');
const HEAD = fakeSha('history-head');
const COMPARE_PATH = `/repos/acme/shop/compare/${BASE}...${HEAD}`;

/** The history source over the GitHub edge of a real (nock-backed) Octokit. */
const createGitHubHistorySource = (kit: Octokit, r: RepoRef) => createHistorySourceOverEdge(createGitHubEdge(kit), r);

function octokit(): Octokit {
  const TestOctokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
  return new TestOctokit({ auth: 'ghs_test' }) as unknown as Octokit;
}

const commitsOf = (n: number, seed = 'c') => Array.from({ length: n }, (_, i) => ({ sha: fakeSha(`${seed}-${i}`), message: `PROJ-${i + 1}: change ${i}` }));

function pageBody(all: { sha: string; message: string }[], page: number, total = all.length) {
  return {
    status: 'ahead',
    ahead_by: total,
    behind_by: 0,
    total_commits: total,
    commits: all.slice((page - 1) * 100, page * 100).map((c) => apiCommit(c, repo.owner, repo.repo)),
    files: [],
  };
}

describe('GitHub history source: compare', () => {
  it('reads pages 2…N concurrently, at most COMPARE_PAGE_CONCURRENCY at a time, and keeps their order', async () => {
    const all = commitsOf(950);
    const bodies = new Map(Array.from({ length: 10 }, (_, i) => [i + 1, pageBody(all, i + 1)] as const));
    const inFlight = { now: 0, max: 0 };
    const order: number[] = [];
    for (const [page, body] of bodies) {
      nock(GITHUB_API)
        .get(COMPARE_PATH)
        .query({ per_page: '100', page: String(page) })
        .delay(25)
        .reply(() => {
          order.push(page);
          return [200, body];
        });
    }
    const started: number[] = [];
    const source = createGitHubHistorySource(countingOctokit(inFlight, started), repo);
    const result = await source.compare(BASE, HEAD);
    expect(result.commits.map((c) => c.sha)).toEqual(all.map((c) => c.sha));
    expect(started[0]).toBe(1);
    expect(inFlight.max).toBe(COMPARE_PAGE_CONCURRENCY);
    expect(COMPARE_PAGE_CONCURRENCY).toBeGreaterThanOrEqual(4);
    expect(COMPARE_PAGE_CONCURRENCY).toBeLessThanOrEqual(6);
  });

  it('reads page 1 alone before the others (it carries total_commits)', async () => {
    const all = commitsOf(250);
    const inFlight = { now: 0, max: 0 };
    const started: number[] = [];
    const timeline: string[] = [];
    for (const page of [1, 2, 3]) {
      nock(GITHUB_API)
        .get(COMPARE_PATH)
        .query({ per_page: '100', page: String(page) })
        .delay(10)
        .reply(() => {
          timeline.push(`reply ${page}`);
          return [200, pageBody(all, page)];
        });
    }
    const source = createGitHubHistorySource(countingOctokit(inFlight, started, timeline), repo);
    await source.compare(BASE, HEAD);
    expect(timeline.slice(0, 2)).toEqual(['start 1', 'reply 1']);
    expect(timeline.slice(2, 4).sort()).toEqual(['start 2', 'start 3']);
  });

  it('posts "Checking N commits…" while pages 2…N are read, and settles only after it', async () => {
    const all = commitsOf(300);
    const timeline: string[] = [];
    for (const page of [1, 2, 3]) {
      nock(GITHUB_API)
        .get(COMPARE_PATH)
        .query({ per_page: '100', page: String(page) })
        .reply(() => {
          timeline.push(`page ${page}`);
          return [200, pageBody(all, page)];
        });
    }
    // The callback resolves only once page 3 has been requested: a compare that awaits it before page 2 never ends.
    let releaseTotal!: () => void;
    const totalPosted = new Promise<void>((resolve) => (releaseTotal = resolve));
    const source = createGitHubHistorySource(
      hookedOctokit((page) => {
        if (page === 3) releaseTotal();
      }),
      repo,
    );
    const result = await source.compare(BASE, HEAD, async (total) => {
      timeline.push(`total ${total}`);
      await totalPosted;
      timeline.push('total posted');
    });
    timeline.push('compare done');
    expect(result.commits).toHaveLength(300);
    expect(timeline.indexOf('total 300')).toBeLessThan(timeline.indexOf('page 3'));
    expect(timeline).toContain('total posted');
    expect(timeline.at(-1)).toBe('compare done');
  }, 3_000);

  it('a failing "Checking N commits…" fails the compare after the pages were read', async () => {
    const all = commitsOf(150);
    for (const page of [1, 2])
      nock(GITHUB_API)
        .get(COMPARE_PATH)
        .query({ per_page: '100', page: String(page) })
        .reply(200, pageBody(all, page));
    const source = createGitHubHistorySource(octokit(), repo);
    await expect(source.compare(BASE, HEAD, () => Promise.reject(new Error('status refused')))).rejects.toThrow('status refused');
  });

  it('a page that fails fails the compare, after the pending status settled', async () => {
    const all = commitsOf(250);
    nock(GITHUB_API).get(COMPARE_PATH).query({ per_page: '100', page: '1' }).reply(200, pageBody(all, 1));
    nock(GITHUB_API).get(COMPARE_PATH).query({ per_page: '100', page: '2' }).reply(502, { message: 'Bad Gateway' });
    nock(GITHUB_API).get(COMPARE_PATH).query({ per_page: '100', page: '3' }).reply(200, pageBody(all, 3));
    const timeline: string[] = [];
    const source = createGitHubHistorySource(octokit(), repo);
    const failure = await source
      .compare(BASE, HEAD, async () => {
        await Promise.resolve();
        timeline.push('pending posted');
      })
      .catch((error: unknown) => {
        timeline.push('compare failed');
        return error;
      });
    expect(failure).toBeInstanceOf(CheckFailure);
    expect(timeline).toEqual(['pending posted', 'compare failed']);
  });

  it('takes compare bodies unparsed from octokit (its json-with-bigint parser costs ~20× JSON.parse) and parses them itself', async () => {
    const all = commitsOf(150);
    for (const page of [1, 2])
      nock(GITHUB_API)
        .get(COMPARE_PATH)
        .query({ per_page: '100', page: String(page) })
        .reply(200, pageBody(all, page));
    const kit = octokit();
    const parseFlags: unknown[] = [];
    kit.hook.before('request', (options) => {
      parseFlags.push((options.request as { parseSuccessResponseBody?: boolean } | undefined)?.parseSuccessResponseBody);
    });
    const result = await createGitHubHistorySource(kit, repo).compare(BASE, HEAD);
    expect(result.commits.map((c) => c.sha)).toEqual(all.map((c) => c.sha));
    expect(parseFlags).toEqual([false, false]);
  });

  it('a compare body that is not JSON fails the check', async () => {
    nock(GITHUB_API).get(COMPARE_PATH).query({ per_page: '100', page: '1' }).reply(200, '<html>proxy error</html>', { 'content-type': 'application/json' });
    await expect(createGitHubHistorySource(octokit(), repo).compare(BASE, HEAD)).rejects.toThrow('GitHub compare page 1 was not JSON');
  });

  it('one page: one request', async () => {
    const all = commitsOf(3);
    nock(GITHUB_API).get(COMPARE_PATH).query({ per_page: '100', page: '1' }).reply(200, pageBody(all, 1));
    const result = await createGitHubHistorySource(octokit(), repo).compare(BASE, HEAD);
    expect(result).toMatchObject({ status: 'ahead', aheadBy: 3, behindBy: 0 });
    expect(result.commits.map((c) => c.message)).toEqual(['PROJ-1: change 0', 'PROJ-2: change 1', 'PROJ-3: change 2']);
  });

  it('refuses a partial deploy when a later page comes back short', async () => {
    const all = commitsOf(250);
    nock(GITHUB_API).get(COMPARE_PATH).query({ per_page: '100', page: '1' }).reply(200, pageBody(all, 1));
    nock(GITHUB_API).get(COMPARE_PATH).query({ per_page: '100', page: '2' }).reply(200, pageBody(all, 2));
    nock(GITHUB_API)
      .get(COMPARE_PATH)
      .query({ per_page: '100', page: '3' })
      .reply(200, { ...pageBody(all, 3), commits: [] });
    await expect(createGitHubHistorySource(octokit(), repo).compare(BASE, HEAD)).rejects.toThrow(
      'GitHub compare listed 200 of 250 commits; refusing to judge a partial deploy',
    );
  });

  it('refuses overlapping pages', async () => {
    const all = commitsOf(200);
    nock(GITHUB_API).get(COMPARE_PATH).query({ per_page: '100', page: '1' }).reply(200, pageBody(all, 1));
    nock(GITHUB_API).get(COMPARE_PATH).query({ per_page: '100', page: '2' }).reply(200, pageBody(all, 1));
    await expect(createGitHubHistorySource(octokit(), repo).compare(BASE, HEAD)).rejects.toThrow('GitHub compare pages overlapped');
  });

  it('refuses pages that disagree on the total', async () => {
    const all = commitsOf(200);
    nock(GITHUB_API).get(COMPARE_PATH).query({ per_page: '100', page: '1' }).reply(200, pageBody(all, 1));
    nock(GITHUB_API)
      .get(COMPARE_PATH)
      .query({ per_page: '100', page: '2' })
      .reply(200, pageBody(all, 2, 201));
    await expect(createGitHubHistorySource(octokit(), repo).compare(BASE, HEAD)).rejects.toThrow('GitHub compare pages disagreed on the total');
  });
});

/** An Octokit whose compare requests are counted while in flight (`started`: pages in the order they were sent). */
function countingOctokit(inFlight: { now: number; max: number }, started: number[], timeline?: string[]): Octokit {
  const kit = octokit();
  kit.hook.wrap('request', async (request, options) => {
    const page = Number((options as { page?: number }).page);
    started.push(page);
    timeline?.push(`start ${page}`);
    inFlight.now += 1;
    inFlight.max = Math.max(inFlight.max, inFlight.now);
    try {
      return await request(options);
    } finally {
      inFlight.now -= 1;
    }
  });
  return kit;
}

/** An Octokit that tells `onStart` the page of every compare request as it is sent. */
function hookedOctokit(onStart: (page: number) => void): Octokit {
  const kit = octokit();
  kit.hook.before('request', (options) => onStart(Number((options as { page?: number }).page)));
  return kit;
}
