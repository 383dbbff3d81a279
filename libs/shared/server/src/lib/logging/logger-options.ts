import type { LoggerOptions } from 'pino';

import { redactSecrets } from './redaction';

export { REDACTED_PATHS } from './redaction';

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
    formatters: {
      level: (label) => ({ level: label }),
      bindings: redactSecrets,
      log: redactSecrets,
    },
  };
}
