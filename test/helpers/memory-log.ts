/** A pino destination in memory: every line written, raw and parsed, for tests that read the log. */
import { Writable } from 'node:stream';

export interface MemoryLog {
  readonly stream: Writable;
  /** Everything written so far, as written. */
  text(): string;
  /** Every line parsed as JSON. */
  lines(): Record<string, unknown>[];
}

export function createMemoryLog(): MemoryLog {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const text = () => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
