/**
 * A background round repeated on a timer, as the status-intent sweep, the reconciler and the protection review loop
 * use it: one round at a time (a call during a round gets that round's promise instead of starting a second), the
 * next round `intervalMs` after the previous one ended, timers unref'd, and `stop()` waits for the round in flight.
 */
export interface PeriodicRound<T> {
  /** Runs a round now, or joins the one in flight. */
  runOnce(): Promise<T>;
  /** True once `stop()` was called: a long round checks it between steps. */
  isStopped(): boolean;
  stop(): Promise<void>;
}

export function startPeriodicRound<T>(options: {
  readonly round: () => Promise<T>;
  /** 0 or less: no timer (tests call runOnce). */
  readonly intervalMs: number;
  /** Delay before the first timed round. */
  readonly firstDelayMs: number;
  readonly onError: (err: unknown) => void;
}): PeriodicRound<T> {
  let running: Promise<T> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const runOnce = (): Promise<T> => {
    running ??= options.round().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = (delayMs: number): void => {
    if (stopped || options.intervalMs <= 0) return;
    timer = setTimeout(() => {
      runOnce()
        .catch(options.onError)
        .finally(() => schedule(options.intervalMs));
    }, delayMs);
    timer.unref();
  };
  schedule(options.firstDelayMs);

  return {
    runOnce,
    isStopped: () => stopped,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
