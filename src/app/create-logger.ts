/**
 * The pino logger: structured, secrets redacted wherever they could appear; JSON lines, or human-readable lines
 * (pino-pretty, as a transport) on a terminal. No `name` in the base: Probot's child loggers add their own (`server`, `http`…), and
 * a second `name` key would duplicate it in every line.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import { logRedaction } from './log-redaction.js';

export interface LoggerOptions {
  readonly level: string;
  /** null: pretty when `isTTY`, JSON otherwise. */
  readonly format?: 'pretty' | 'json' | null;
  readonly isTTY?: boolean;
  /** Where JSON lines go (default stdout); pretty output always goes to stdout. */
  readonly destination?: DestinationStream;
}

/** pretty on a terminal unless LOG_FORMAT says otherwise; JSON for log collectors. */
export function effectiveLogFormat(format: 'pretty' | 'json' | null | undefined, isTTY: boolean): 'pretty' | 'json' {
  return format ?? (isTTY ? 'pretty' : 'json');
}

export function createLogger(options: LoggerOptions): Logger {
  const settings = { level: options.level, ...logRedaction };
  if (effectiveLogFormat(options.format, options.isTTY ?? false) === 'pretty') {
    // A pino transport: pino-pretty is loaded (in a worker) only when pretty output is asked for.
    return pino({
      ...settings,
      transport: { target: 'pino-pretty', options: { colorize: options.isTTY ?? false, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return pino(settings, options.destination);
}
