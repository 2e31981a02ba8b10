/** The pino logger: structured JSON, secrets redacted wherever they could appear. */
import { pino, type Logger, type DestinationStream } from 'pino';

export const REDACTED_PATHS = [
  'token',
  'apiToken',
  'pat',
  'password',
  'secret',
  'clientSecret',
  'privateKey',
  'authorization',
  '*.token',
  '*.apiToken',
  '*.pat',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.privateKey',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.request.headers.authorization',
  'err.request.headers.authorization',
  'err.response.headers["set-cookie"]',
];

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      name: 'deploy-checker',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination,
  );
}
