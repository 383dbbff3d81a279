// Log lines of the node worker, on its stderr: the wrapper logs each line with the worker's
// pid (as it does for a python worker's). The worker has no Nest and no pino of its own.
import type { ModelLogger } from '@ml-run/model-contract';

export type WorkerLog = {
  log(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
};

type Write = (line: string) => void;

const toStderr: Write = (line) => void process.stderr.write(line);

function line(level: string, name: string, message: string, fields?: object): string {
  const facts = fields && Object.keys(fields).length > 0 ? ` ${stringify(fields)}` : '';
  return `${level} ${name}: ${message}${facts}\n`;
}

// A model's fields may hold anything (a cycle, a BigInt): the line must still be written.
function stringify(fields: object): string {
  try {
    return JSON.stringify(fields);
  } catch {
    return String(fields);
  }
}

/** The worker's own lines ("INFO mlrun-node-worker: model ignite connected {...}"). */
export function workerLog(write: Write = toStderr): WorkerLog {
  return {
    log: (fields, message) => write(line('INFO', 'mlrun-node-worker', message, fields)),
    warn: (fields, message) => write(line('WARNING', 'mlrun-node-worker', message, fields)),
  };
}

/** ctx.logger: the same line format as a python model's logging ("INFO model: ..."). */
export function modelLogger(write: Write = toStderr): ModelLogger {
  return {
    debug: (message, fields) => write(line('DEBUG', 'model', message, fields)),
    info: (message, fields) => write(line('INFO', 'model', message, fields)),
    warn: (message, fields) => write(line('WARNING', 'model', message, fields)),
    error: (message, fields) => write(line('ERROR', 'model', message, fields)),
  };
}
