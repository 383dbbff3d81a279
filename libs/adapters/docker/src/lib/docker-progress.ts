/** One JSON message of Docker's build or push stream (the fields ML-RUN reads). */
export type DockerMessage = {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string; Tag?: string; Digest?: string; Size?: number };
};

/**
 * What a build or push said: its log lines, the aux records, the first error, and the
 * last status of each layer id (a push says `Pushed`, `Layer already exists` or
 * `Mounted from …` per layer).
 */
export type DockerOutcome = {
  lines: string[];
  aux: NonNullable<DockerMessage['aux']>[];
  error?: string;
  statusById: Record<string, string>;
};

/**
 * Reads Docker's newline-delimited JSON progress stream. Lines go to `onLine` as they
 * come (build steps, push status), so a build's progress events can carry them; the
 * outcome holds the whole log, for a failed build's report.
 */
export function followDockerStream(
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void,
): Promise<DockerOutcome> {
  const outcome: DockerOutcome = { lines: [], aux: [], statusById: {} };
  let pending = '';
  const take = (text: string) => {
    for (const line of text.split('\n')) {
      const message = parseMessage(line);
      if (message) record(outcome, message, onLine);
    }
  };
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer | string) => {
      const text = pending + chunk.toString();
      const end = text.lastIndexOf('\n');
      pending = end < 0 ? text : text.slice(end + 1);
      if (end >= 0) take(text.slice(0, end));
    });
    stream.on('error', reject);
    stream.on('end', () => {
      take(pending);
      resolve(outcome);
    });
    // A connection closed before the end (the engine went away, or the call was
    // cancelled) must not leave the caller waiting; after 'end' this changes nothing.
    stream.on('close', () => reject(new Error('the Docker engine closed the stream early')));
  });
}

function parseMessage(line: string): DockerMessage | undefined {
  if (line.trim() === '') return undefined;
  try {
    return JSON.parse(line) as DockerMessage;
  } catch {
    return { stream: line };
  }
}

function record(outcome: DockerOutcome, message: DockerMessage, onLine: (line: string) => void) {
  if (message.aux) outcome.aux.push(message.aux);
  if (message.id !== undefined && message.status !== undefined) {
    outcome.statusById[message.id] = message.status;
  }
  const error = message.error ?? message.errorDetail?.message;
  if (error !== undefined) outcome.error ??= error;
  const text = lineOf(message);
  if (text === undefined) return;
  outcome.lines.push(text);
  onLine(text);
}

function lineOf(message: DockerMessage): string | undefined {
  if (message.error !== undefined) return `error: ${message.error}`;
  const text = message.stream ?? [message.id, message.status].filter(Boolean).join(': ');
  const trimmed = text.replace(/\s+$/, '');
  // Byte counters of layer uploads say nothing a log reader needs.
  if (trimmed === '' || message.progress !== undefined) return undefined;
  return trimmed;
}
