import { describe, expect, it } from 'vitest';
import { createInstallationOctokits } from '../../src/github/installation-octokit.js';

/** A stand-in for Probot's app.auth: records calls, hands out one object per call. */
function fakeApp(options: { failFirst?: boolean } = {}) {
  const calls: (number | undefined)[] = [];
  let failures = options.failFirst ? 1 : 0;
  return {
    calls,
    app: {
      auth: async (installationId?: number) => {
        calls.push(installationId);
        if (installationId === undefined) {
          return { request: async () => ({ data: { id: 42 } }) };
        }
        if (failures > 0) {
          failures -= 1;
          throw new Error('GitHub down');
        }
        return { installationId };
      },
    },
  };
}

describe('installation octokits', () => {
  it('one Octokit per installation, built with app.auth(id) (its own throttle) and cached', async () => {
    const { app, calls } = fakeApp();
    const octokits = createInstallationOctokits(app as never);
    const [a1, a2, b] = await Promise.all([octokits.forInstallation(1), octokits.forInstallation(1), octokits.forInstallation(2)]);
    expect(a1).toBe(a2);
    expect(a1).not.toBe(b);
    expect(calls).toEqual([1, 2]);
  });

  it('is bounded: the least recently used installation is dropped', async () => {
    const { app, calls } = fakeApp();
    const octokits = createInstallationOctokits(app as never, { maxCached: 2 });
    await octokits.forInstallation(1);
    await octokits.forInstallation(2);
    await octokits.forInstallation(1);
    await octokits.forInstallation(3); // drops 2
    await octokits.forInstallation(1);
    await octokits.forInstallation(2);
    expect(calls).toEqual([1, 2, 3, 2]);
  });

  it('a failure is not cached; a repository’s installation is looked up once', async () => {
    const { app, calls } = fakeApp({ failFirst: true });
    const octokits = createInstallationOctokits(app as never);
    await expect(octokits.forInstallation(5)).rejects.toThrow('GitHub down');
    const edge = await octokits.forInstallation(5); // the second try authenticates again, then is cached
    expect(await octokits.forInstallation(5)).toBe(edge);
    await octokits.forRepo({ owner: 'acme', repo: 'shop' });
    await octokits.forRepo({ owner: 'acme', repo: 'shop' });
    expect(calls).toEqual([5, 5, undefined, 42]);
  });
});
