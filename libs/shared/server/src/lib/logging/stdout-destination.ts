import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

// Log lines are buffered and written to stdout in batches, asynchronously: one write per
// line cost a syscall on every request. A line waits at most FLUSH_INTERVAL_MS; the
// buffer is written synchronously when the process exits (pino's on-exit hook covers
// process.exit, a normal end and an uncaught exception) and right after an error or fatal
// line: those are rare, and others act on them at once (the process deployer reads a
// wrapper's "model init failed" line as soon as its /readyz says INIT_FAILED).
const BUFFER_BYTES = 4096;
const FLUSH_INTERVAL_MS = 100;
const ERROR = pino.levels.values['error'] ?? 50;

type BufferedStdout = DestinationStream & { flushSync(): void };

let shared: BufferedStdout | undefined;

// One buffer per process: embedded mode runs several services (loggers) in one process,
// and they share stdout, its flush timer and its exit hook.
function bufferedStdout(): BufferedStdout {
  shared ??= pino.destination({
    dest: 1,
    sync: false,
    minLength: BUFFER_BYTES,
    periodicFlush: FLUSH_INTERVAL_MS,
  }) as BufferedStdout;
  return shared;
}

/** A logger writing to `destination`, else to this process's buffered stdout. */
export function createLogger(options: LoggerOptions, destination?: DestinationStream): Logger {
  if (destination) return pino(options, destination);
  const stdout = bufferedStdout();
  return pino(
    {
      ...options,
      hooks: {
        // An error is written now, not left in the buffer: a fatal line is the last before
        // a crash, and an error may be what a supervisor reads next.
        logMethod(args, method, level) {
          method.apply(this, args);
          if (level >= ERROR) stdout.flushSync();
        },
      },
    },
    stdout,
  );
}
