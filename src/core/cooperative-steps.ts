/**
 * CPU-heavy evaluation work (key extraction over every commit, the rules) written once as a generator that yields
 * after each bounded step (one commit), and run either to the end synchronously (tests, CLI) or in time slices
 * that give the event loop back between them (the app: one process serves every installation, so a deploy of
 * thousands of hostile commits must not hold up webhook acks and pages).
 */

/** Work that yields (nothing) after each bounded step and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export interface YieldingOptions {
  /** Work this long (ms) before giving the event loop a turn; 0: after every step. */
  readonly sliceMs?: number;
}

/** Default slice: short enough that timers and I/O callbacks wait at most ~10 ms plus one step. */
export const DEFAULT_SLICE_MS = 8;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the steps in slices of about `sliceMs`, letting pending I/O and timers run between slices. */
export async function runStepsYielding<T>(steps: Steps<T>, options: YieldingOptions = {}): Promise<T> {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}
