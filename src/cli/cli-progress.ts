/**
 * A progress line on stderr, rewritten in place ("reading commits… 12,000"), only when stderr is a terminal.
 * When stderr is piped (CI logs, tests) it writes nothing at all.
 */
export interface CliProgress {
  update(text: string): void;
  /** Erases the line, if one was written, before real output follows. */
  clear(): void;
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');

export function createCliProgress(stderr: { write(text: string): unknown }, isTTY: boolean): CliProgress {
  if (!isTTY) return { update() {}, clear() {} };
  let shown = false;
  return {
    update(text) {
      stderr.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    clear() {
      if (shown) stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
