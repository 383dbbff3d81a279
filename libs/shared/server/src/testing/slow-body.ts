import { connect } from 'node:net';

export type SlowRequest = {
  /** POST unless said otherwise. */
  method?: string;
  path: string;
  /** Besides Host and Content-Length. */
  headers?: Record<string, string>;
  /** Declared, never all sent. */
  contentLength?: number;
};

/**
 * Plays the slow client: sends a request's headers, then its body one byte every `everyMs`,
 * until the server closes the connection. Resolves with everything the server answered
 * (a service with MLRUN_REQUEST_TIMEOUT_MS set short answers `HTTP/1.1 408` and closes).
 */
export function sendBodySlowly(
  baseUrl: string,
  request: SlowRequest,
  everyMs = 100,
): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined); // a reset after the answer is still an answer
  const head = Object.entries({
    Host: hostname,
    'Content-Length': String(request.contentLength ?? 100),
    ...request.headers,
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(`${request.method ?? 'POST'} ${request.path} HTTP/1.1\r\n${head}\r\n`);
  const drip = setInterval(() => socket.writable && socket.write('x'), everyMs);
  return new Promise((resolve) =>
    socket.once('close', () => {
      clearInterval(drip);
      resolve(received);
    }),
  );
}
