import { get, type IncomingHttpHeaders } from 'node:http';
import { createParser } from 'eventsource-parser';

/** A server-sent event stream as a test sees it: what arrived so far, and whether it ended. */
export type OpenedStream = {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every chunk received, as text; an error answer's body too. */
  chunks: string[];
  /** The server ended the stream or cut the connection. */
  ended: boolean;
  close: () => void;
};

/**
 * GETs a stream and resolves once the answer's head is in; chunks keep arriving after.
 * node:http without an agent rather than fetch: an aborted fetch leaves undici opening a
 * spare keep-alive socket that holds the server's close() for its idle timeout.
 */
export function openStream(url: string, headers: Record<string, string>): Promise<OpenedStream> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers, agent: false }, (response) => {
      const stream: OpenedStream = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        chunks: [],
        ended: false,
        close: () => request.destroy(),
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => stream.chunks.push(chunk));
      response.once('close', () => (stream.ended = true));
      resolve(stream);
    });
    request.once('error', reject);
  });
}

/** Comment heartbeats (`: heartbeat`) received on the stream so far. */
export function heartbeatsOf(stream: OpenedStream): number {
  return stream.chunks.join('').split(': heartbeat\n\n').length - 1;
}

/** One server-sent event as a test reads it: its name (`message` when unnamed) and data. */
export type SentEvent = { event: string; data: string };

/** The complete events in a text/event-stream body (or what a stream received so far). */
export function sentEventsOf(body: string | OpenedStream): SentEvent[] {
  const events: SentEvent[] = [];
  const parser = createParser({
    onEvent: ({ event, data }) => events.push({ event: event ?? 'message', data }),
  });
  parser.feed(typeof body === 'string' ? body : body.chunks.join(''));
  return events;
}
