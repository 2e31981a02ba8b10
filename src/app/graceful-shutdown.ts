/**
 * Graceful stop with a deadline. The first SIGTERM/SIGINT runs the steps in order (stop accepting, stop the
 * server, drain the queue, close the store …); later signals change nothing (the same stop goes on, `exit` is
 * called once). When the deadline passes first, the process exits anyway: work not finished stays recorded as
 * status intents, and the next start's intent sweep finishes it (after the dead evaluations' leases expire).
 */
import type { Logger } from 'pino';

export interface ShutdownStep {
  readonly name: string;
  run(): Promise<void> | void;
}

export interface GracefulShutdownOptions {
  /** SHUTDOWN_TIMEOUT_MS: how long the steps may take in all. */
  readonly timeoutMs: number;
  readonly steps: readonly ShutdownStep[];
  /** process.exit in production: 0 when every step finished, 1 when the deadline passed or a step failed. */
  readonly exit: (code: number) => void;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface GracefulShutdown {
  /** Starts the stop (or returns the one already running). Resolves after `exit` was called. */
  stop(reason: string): Promise<void>;
  /** Listens for SIGTERM and SIGINT with `process.on` (every signal, not only the first). */
  install(target?: Pick<NodeJS.Process, 'on'>): void;
}

export function createGracefulShutdown(options: GracefulShutdownOptions): GracefulShutdown {
  const { logger } = options;
  let stopping: Promise<void> | null = null;

  async function runSteps(): Promise<number> {
    let code = 0;
    for (const step of options.steps) {
      try {
        await step.run();
      } catch (err) {
        code = 1;
        logger.error({ err, step: step.name }, 'shutdown step failed');
      }
    }
    return code;
  }

  async function stopOnce(reason: string): Promise<void> {
    logger.info({ reason, timeoutMs: options.timeoutMs }, 'shutting down: draining queued work');
    let timer: NodeJS.Timeout | null = null;
    const deadline = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        logger.warn({ timeoutMs: options.timeoutMs }, 'shutdown deadline passed: exiting; unfinished checks stay recorded for the next start');
        resolve(1);
      }, options.timeoutMs);
    });
    const code = await Promise.race([runSteps(), deadline]);
    if (timer) clearTimeout(timer);
    if (code === 0) logger.info('stopped');
    options.exit(code);
  }

  const stop = (reason: string): Promise<void> => {
    if (stopping) {
      logger.info({ reason }, 'already shutting down');
      return stopping;
    }
    stopping = stopOnce(reason);
    return stopping;
  };

  return {
    stop,
    install(target = process) {
      target.on('SIGTERM', () => void stop('SIGTERM'));
      target.on('SIGINT', () => void stop('SIGINT'));
    },
  };
}
