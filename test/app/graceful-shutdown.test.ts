import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createGracefulShutdown } from '../../src/app/graceful-shutdown.js';

const logger = pino({ level: 'silent' });

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('graceful shutdown', () => {
  it('runs the steps in order once, however many signals arrive, and exits once with 0', async () => {
    const ran: string[] = [];
    const exits: number[] = [];
    const draining = gate();
    const exited = gate();
    const shutdown = createGracefulShutdown({
      timeoutMs: 10_000,
      steps: [
        { name: 'stop accepting', run: () => void ran.push('stop accepting') },
        { name: 'drain', run: async () => (ran.push('drain'), draining.opened) },
        { name: 'close store', run: () => void ran.push('close store') },
      ],
      exit: (code) => (exits.push(code), exited.open()),
      logger,
    });
    const signals = new EventEmitter();
    shutdown.install(signals as unknown as NodeJS.Process);
    signals.emit('SIGTERM');
    signals.emit('SIGTERM');
    signals.emit('SIGINT');
    draining.open();
    await exited.opened;
    signals.emit('SIGTERM');
    await shutdown.stop('again');
    expect(ran).toEqual(['stop accepting', 'drain', 'close store']);
    expect(exits).toEqual([0]);
  });

  it('exits with 1 when the deadline passes before the queue is drained', async () => {
    const exits: number[] = [];
    const never = new Promise<void>(() => {});
    const shutdown = createGracefulShutdown({
      timeoutMs: 20,
      steps: [{ name: 'drain', run: () => never }],
      exit: (code) => void exits.push(code),
      logger,
    });
    await shutdown.stop('SIGTERM');
    expect(exits).toEqual([1]);
  });

  it('a failing step is logged, the next ones still run, and the exit code says so', async () => {
    const ran: string[] = [];
    const exits: number[] = [];
    const shutdown = createGracefulShutdown({
      timeoutMs: 10_000,
      steps: [
        { name: 'server', run: () => Promise.reject(new Error('already closed')) },
        { name: 'store', run: () => void ran.push('store') },
      ],
      exit: (code) => void exits.push(code),
      logger,
    });
    await shutdown.stop('SIGINT');
    expect(ran).toEqual(['store']);
    expect(exits).toEqual([1]);
  });
});
