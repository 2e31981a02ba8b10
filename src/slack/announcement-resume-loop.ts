/**
 * Runs `resumeDue` at start and then every `intervalMs`, never two runs at once. The timer does not keep the
 * process alive. `stop()` clears the timer and waits for a run in progress.
 */
import type { Logger } from 'pino';
import type { DeployAnnouncer } from './deploy-announcer.js';

export interface AnnouncementResumer {
  stop(): Promise<void>;
}

export function startAnnouncementResumer(options: {
  readonly announcer: Pick<DeployAnnouncer, 'resumeDue'>;
  readonly intervalMs: number;
  readonly logger: Logger;
}): AnnouncementResumer {
  const log = options.logger.child({ component: 'announcement-resumer' });
  let running: Promise<void> | null = null;
  let stopped = false;

  const runOnce = () => {
    if (running !== null || stopped) return;
    running = options.announcer
      .resumeDue()
      .then((results) => {
        if (results.length > 0) {
          const counts: Record<string, number> = {};
          for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
          log.info({ due: results.length, ...counts }, 'resumed due announcements');
        }
      })
      .catch((err: unknown) => {
        log.error({ error: err instanceof Error ? err.message : String(err) }, 'resuming announcements failed');
      })
      .finally(() => {
        running = null;
      });
  };

  runOnce();
  const timer = setInterval(runOnce, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running !== null) await running;
    },
  };
}
