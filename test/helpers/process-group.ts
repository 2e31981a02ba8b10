/**
 * Child processes that take their whole process tree with them when stopped. `npm start` is npm → sh → tsx → node:
 * killing npm alone orphans the server. Spawned with `detached: true`, the child leads a new process group that its
 * descendants join, and the group is signalled as a whole (`process.kill(-pgid, …)`): SIGTERM, then SIGKILL when it
 * has not gone after a grace period. POSIX only (the tests run on Linux).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface GroupMember {
  readonly pid: number;
  /** The state letter of /proc/<pid>/stat: R, S, D, T, Z (a zombie: exited, not yet reaped by its parent)… */
  readonly state: string;
  readonly command: string;
}

/** Spawns `command` as the leader of a new process group (whose id is its pid). */
export function spawnProcessGroup(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess & { pid: number } {
  const child = spawn(command, [...args], { ...options, detached: true });
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  return child as ChildProcess & { pid: number };
}

/** Whether the kernel still knows any process of the group (zombies included): `kill(-pgid, 0)` succeeds. */
export function processGroupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * The processes of the group that are still running (not zombies), from /proc. Where there is no /proc, every
 * process the kernel still knows counts as running.
 */
export function liveProcessGroupMembers(pgid: number): GroupMember[] {
  if (!existsSync('/proc/self/stat')) return processGroupExists(pgid) ? [{ pid: pgid, state: '?', command: '?' }] : [];
  const members: GroupMember[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we were looking
    }
    // "pid (comm) state ppid pgrp …"; comm may itself contain spaces and parentheses.
    const close = stat.lastIndexOf(')');
    const [state = '', , pgrp = ''] = stat.slice(close + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') members.push({ pid: Number(entry), state, command: stat.slice(stat.indexOf('(') + 1, close) });
  }
  return members;
}

export interface StopOptions {
  /** How long the group gets to exit after SIGTERM before it is sent SIGKILL. */
  readonly graceMs?: number;
  /** How long to wait after SIGKILL before giving up with an error. */
  readonly killWaitMs?: number;
  /** How often to look whether the group is gone. */
  readonly pollMs?: number;
}

/**
 * SIGTERM to the whole group; SIGKILL to whatever is left after `graceMs`. Resolves once no process of the group is
 * running (zombies left for their new parent to reap do not count); rejects, naming the survivors, if even SIGKILL
 * did not get there within `killWaitMs`. Stopping a group that is already gone is a no-op.
 */
export async function stopProcessGroup(pgid: number, options: StopOptions = {}): Promise<'gone' | 'sigterm' | 'sigkill'> {
  const { graceMs = 10_000, killWaitMs = 10_000, pollMs = 25 } = options;
  const gone = () => liveProcessGroupMembers(pgid).length === 0;
  const until = async (deadline: number): Promise<boolean> => {
    while (!gone()) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return true;
  };
  if (gone()) return 'gone';
  signalGroup(pgid, 'SIGTERM');
  if (await until(Date.now() + graceMs)) return 'sigterm';
  signalGroup(pgid, 'SIGKILL');
  if (await until(Date.now() + killWaitMs)) return 'sigkill';
  const survivors = liveProcessGroupMembers(pgid).map((m) => `${m.pid} ${m.command} (${m.state})`);
  throw new Error(`process group ${pgid} survived SIGKILL: ${survivors.join(', ')}`);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
