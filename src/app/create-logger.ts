/** The pino logger: structured JSON, secrets redacted wherever they could appear. */
import { pino, type Logger, type DestinationStream } from 'pino';
import { logRedaction } from './log-redaction.js';

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      name: 'deploy-checker',
      ...logRedaction,
    },
    options.destination,
  );
}
