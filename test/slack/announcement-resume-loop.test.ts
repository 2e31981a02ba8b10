import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnnounceResult } from '../../src/slack/deploy-announcer.js';
import { startAnnouncementResumer } from '../../src/slack/announcement-resume-loop.js';
import { captureLogger } from './slack-test-support.js';

const posted: AnnounceResult = {
  outcome: 'posted',
  announcementId: 1,
  messageTs: '1.1',
  error: null,
  nextAttemptAt: null,
  permanent: false,
  recovered: false,
  writeBackNotes: [],
};

describe('startAnnouncementResumer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resumes at start and then every interval, never overlapping, until stopped', async () => {
    let calls = 0;
    let release: (() => void) | null = null;
    const announcer = {
      resumeDue: () => {
        calls += 1;
        if (calls === 2) return new Promise<AnnounceResult[]>((resolve) => (release = () => resolve([posted])));
        return Promise.resolve(calls === 1 ? [posted] : []);
      },
    };
    const log = captureLogger();
    const resumer = startAnnouncementResumer({ announcer, intervalMs: 1000, logger: log.logger });
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    // The second run hangs: ticks in between do not start another.
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toBe(2);
    release!();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(3);
    await resumer.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(3);
    expect(log.lines().filter((l) => l['msg'] === 'resumed due announcements')).toHaveLength(2);
  });

  it('logs a failing run and keeps going', async () => {
    let calls = 0;
    const announcer = {
      resumeDue: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('database is locked')) : Promise.resolve([]);
      },
    };
    const log = captureLogger();
    const resumer = startAnnouncementResumer({ announcer, intervalMs: 1000, logger: log.logger });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    await resumer.stop();
    expect(log.lines().find((l) => l['msg'] === 'resuming announcements failed')).toMatchObject({ error: 'database is locked', level: 50 });
  });
});
