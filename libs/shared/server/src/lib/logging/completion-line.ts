import { pino, type Logger } from 'pino';

import { isoTime } from './clock';
import { redactSecrets } from './redaction';

const { chindingsSym, streamSym } = pino.symbols;

type PinoInternals = Record<symbol, unknown>;

export type CompletedRequest = {
  method: string;
  route: string;
  status: number;
  durationMs: number;
};

/**
 * Writes the "request completed" line exactly as the logger would (level, time, the
 * logger's bindings with the request id, the fields, the annotations, msg) straight to its
 * destination. pino's general path (formatters, a stringifier per key, hooks) took ~3 of
 * the ~4.5 µs this line cost on every request. Level and time are spelled as
 * loggerOptions spells them; annotations are censored like any other fields.
 */
export function writeCompletionLine(
  logger: Logger,
  request: CompletedRequest,
  annotations: Record<string, unknown> | undefined,
): void {
  const internals = logger as unknown as PinoInternals;
  let line =
    `{"level":"info","time":"${isoTime()}"${internals[chindingsSym] as string}` +
    `,"method":${JSON.stringify(request.method)},"route":${JSON.stringify(request.route)}` +
    `,"status":${request.status},"durationMs":${request.durationMs}`;
  if (annotations !== undefined) {
    const fields = redactSecrets(annotations);
    for (const key in fields) {
      const value = JSON.stringify(fields[key]);
      if (value !== undefined) line += `,${JSON.stringify(key)}:${value}`;
    }
  }
  (internals[streamSym] as { write(line: string): void }).write(
    `${line},"msg":"request completed"}\n`,
  );
}
