import type { Readable } from 'node:stream';

import type { BuildRun } from './build-run';
import type { ImageBuildOptions, ImagePublisher } from './image-publisher.port';

// Enough recent lines to tell whether an error's log tail (Docker keeps 50) was streamed.
const RECENT_LINES = 200;

/** The tail of the engine's output an error carries (DockerError.log), if any. */
export function engineLogOf(error: unknown): string[] {
  const log = (error as { log?: unknown } | null)?.log;
  if (!Array.isArray(log)) return [];
  return log.filter((line): line is string => typeof line === 'string');
}

/**
 * Runs an engine call with its lines going to the build's log (and so to its progress
 * events). When it fails, the tail of the engine's output the error carries is logged
 * too, unless those lines were streamed already.
 */
export async function withEngineOutput<T>(
  run: BuildRun,
  call: (onLine: (line: string) => void) => Promise<T>,
): Promise<T> {
  const recent: string[] = [];
  const onLine = (line: string) => {
    recent.push(line);
    if (recent.length > RECENT_LINES) recent.splice(0, recent.length - RECENT_LINES);
    run.log(line);
  };
  try {
    return await call(onLine);
  } catch (error) {
    const tail = engineLogOf(error);
    if (tail.length > 0 && !endsWith(recent, tail)) {
      run.log("the last lines of the engine's output:");
      for (const line of tail) run.log(line);
    }
    throw error;
  }
}

/**
 * Builds from a context tar. The tar fails when a bundle file cannot be read or changes
 * while it is read; the build then fails with that reason instead of waiting for the
 * rest of a context that will not come.
 */
export function buildFromContext(
  publisher: ImagePublisher,
  tar: Readable,
  tag: string,
  onLine: (line: string) => void,
  signal?: AbortSignal,
  options: ImageBuildOptions = { network: 'none' },
): Promise<{ imageId: string }> {
  const unreadable = new Promise<never>((_resolve, reject) => {
    // Stays attached: a context destroyed later must not throw an unhandled 'error'.
    tar.on('error', (error: Error) => {
      reject(new Error(`the build context could not be read: ${error.message}`));
    });
  });
  return Promise.race([publisher.build(tar, tag, onLine, signal, options), unreadable]);
}

function endsWith(lines: readonly string[], tail: readonly string[]): boolean {
  if (tail.length > lines.length) return false;
  const offset = lines.length - tail.length;
  return tail.every((line, i) => lines[offset + i] === line);
}
