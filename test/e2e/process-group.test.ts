/**
 * test/helpers/process-group.ts, which the e2e test stops `npm start` with: the whole tree goes, including children
 * that ignore SIGTERM, and nothing of the group is left running.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { liveProcessGroupMembers, processGroupExists, spawnProcessGroup, stopProcessGroup } from '../helpers/process-group.js';

const started: number[] = [];
afterEach(async () => {
  for (const pgid of started.splice(0)) await stopProcessGroup(pgid, { graceMs: 0 });
});

/** A shell with two background children: three processes in one new group. */
function startTree(script: string): number {
  const child = spawnProcessGroup('sh', ['-c', `${script} sleep 600 & sleep 600 & wait`], { stdio: 'ignore' });
  started.push(child.pid);
  return child.pid;
}

describe('stopProcessGroup', () => {
  it('stops the leader and its children with SIGTERM; afterwards the kernel knows no process of the group', async () => {
    const pgid = startTree('');
    await expect.poll(() => liveProcessGroupMembers(pgid).length).toBe(3);
    expect(await stopProcessGroup(pgid)).toBe('sigterm');
    expect(liveProcessGroupMembers(pgid)).toEqual([]);
    // The orphaned children were reparented; once reaped, kill(-pgid, 0) fails with ESRCH.
    await expect.poll(() => processGroupExists(pgid), { timeout: 10_000 }).toBe(false);
    expect(() => process.kill(-pgid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('sends SIGKILL to processes that ignore SIGTERM once the grace period is over', async () => {
    const pgid = startTree('trap "" TERM;');
    await expect.poll(() => liveProcessGroupMembers(pgid).length).toBe(3);
    expect(await stopProcessGroup(pgid, { graceMs: 300 })).toBe('sigkill');
    expect(liveProcessGroupMembers(pgid)).toEqual([]);
    await expect.poll(() => processGroupExists(pgid), { timeout: 10_000 }).toBe(false);
  });

  it('does nothing for a group that is already gone', async () => {
    const pgid = startTree('');
    await expect.poll(() => liveProcessGroupMembers(pgid).length).toBe(3);
    await stopProcessGroup(pgid);
    expect(await stopProcessGroup(pgid)).toBe('gone');
  });
});
