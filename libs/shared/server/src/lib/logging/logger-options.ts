import type { LoggerOptions } from 'pino';

// Secrets never reach a log line: headers that carry credentials and any field that
// names a password, token or secret, at the top level or one level down.
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-service-token"]',
  'password',
  'token',
  'secret',
  '*.password',
  '*.token',
  '*.secret',
  '*.access_token',
];

export function loggerOptions(
  service: string,
  level: string,
  bindings: Record<string, string> = {},
): LoggerOptions {
  return {
    level,
    base: { service, ...bindings, pid: process.pid },
    messageKey: 'msg',
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}
