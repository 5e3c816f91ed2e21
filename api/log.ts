// The logger: pino with known secret-bearing fields redacted, and every line passed through the
// live-secret scrubber before it is written, so a secret that slips into a message is masked anyway.
import pino, { type Logger, type DestinationStream } from 'pino';
import { scrubSecrets } from './vault/live-secrets';

export type { Logger };

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["api-key"]',
  'req.headers["x-goog-api-key"]',
  'req.headers["x-csrf-token"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'headers["api-key"]',
  'headers["x-goog-api-key"]',
  'api_key',
  'secret_access_key',
  'session_token',
  'value',
  'ref',
  'token',
  '*.api_key',
  '*.secret_access_key',
  '*.session_token',
  '*.value',
  '*.token',
];

/** A stream that scrubs each serialized line before handing it on. */
export function scrubbingStream(target: { write(line: string): unknown }): DestinationStream {
  return { write: (line: string) => void target.write(scrubSecrets(line)) };
}

export function createLogger(options: { level?: string; destination?: { write(line: string): unknown } } = {}): Logger {
  const target = options.destination ?? pino.destination({ dest: 1, sync: false });
  return pino(
    {
      level: options.level ?? 'info',
      base: { name: 'keyhold' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    scrubbingStream(target),
  );
}

/**
 * A logger for hot-path lines whose fields are fixed and never secret-bearing (the per-call usage
 * line): it skips the wildcard redaction, which costs about 20 µs a line, and still writes through
 * the live-secret scrubber. Never log request bodies, headers or errors through it.
 */
export function fixedShapeLogger(log: Logger): Logger {
  return log.child({}, { redact: { paths: ['__never_logged'], censor: '[redacted]' } });
}
