/**
 * The whole app on a real SQLite file that survives "restarts" (a second start on the same file), with a clock the
 * test moves forward (leases, retry times). Registers its own beforeEach/afterEach: every app started is stopped and
 * the file removed after each test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { pino } from 'pino';
import { startHarness, type Harness } from './app-harness.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';

export interface RestartableApp {
  readonly harness: Harness;
  readonly store: ReportStore;
}

export function useRestartableApp(tempPrefix: string) {
  const logger = pino({ level: 'silent' });
  let dir = '';
  let databaseUrl = '';
  let open: RestartableApp[] = [];
  let offsetMs = 0;
  /** The app's clock: real time plus the offset set by `setClockOffset`. */
  const now = () => new Date(Date.now() + offsetMs);

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), tempPrefix));
    databaseUrl = `sqlite:${path.join(dir, 'store.sqlite')}`;
    offsetMs = 0;
  });
  afterEach(async () => {
    for (const { harness, store } of open.reverse()) {
      await harness.stop();
      await store.close().catch(() => undefined);
    }
    open = [];
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    now,
    /** Moves the app's clock to real time + `ms`. */
    setClockOffset(ms: number): void {
      offsetMs = ms;
    },
    /** Stops an app (a "kill" before a restart on the same file); the after-each hook then leaves it alone. */
    async stopApp(app: RestartableApp): Promise<void> {
      await app.harness.stop();
      await app.store.close();
      open = open.filter((started) => started !== app);
    },
    /** Starts the app on the test's SQLite file (a "restart" is a second call on the same file). */
    async startApp(options: { wrapStore?: (store: ReportStore) => ReportStore; env?: Record<string, string> } = {}): Promise<RestartableApp> {
      const store = await createReportStore({ databaseUrl, logger, now });
      const harness = await startHarness({ store: options.wrapStore ? options.wrapStore(store) : store, now, ...(options.env ? { env: options.env } : {}) });
      const app = { harness, store };
      open.push(app);
      return app;
    },
  };
}
