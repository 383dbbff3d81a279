import { IncomingMessage, type ClientRequest } from 'node:http';
import type { Readable } from 'node:stream';

/** What a retry may send again: a connect failure after more than this was sent is not retried. */
export const REPLAY_LIMIT_BYTES = 64 * 1024;

/** The caller's body went over MLRUN_MAX_BODY_BYTES while streaming (no content-length said so). */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`request body is larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** The caller went away (or was timed out with 408) before its body was all sent. */
export class CallerGoneError extends Error {
  constructor(cause: unknown) {
    super(
      `the caller's body ended early: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'CallerGoneError';
  }
}

/**
 * A caller's request body, passed to a replica as it arrives instead of being buffered: the
 * router holds at most one chunk per request in flight, plus the first REPLAY_LIMIT_BYTES so
 * that a replica that refused the connection can be swapped for another. Counts what passes,
 * so a chunked body is cut at MLRUN_MAX_BODY_BYTES (a content-length is checked up front).
 */
export class RequestBody {
  private replay: Buffer[] | undefined = [];
  private replayBytes = 0;
  private bytes = 0;
  private ended: boolean;
  private failure: Error | undefined;
  private detachFrom: (() => void) | undefined;

  constructor(
    private readonly source: Readable | undefined,
    private readonly maxBytes: number,
    /** The caller's content-length, passed on; undefined for a chunked body. */
    readonly length: number | undefined,
  ) {
    this.ended = source === undefined;
  }

  /** Whether a new attempt can send the whole body again: nothing sent was forgotten. */
  get replayable(): boolean {
    return this.replay !== undefined && this.failure === undefined;
  }

  /** Sends what was sent before, then the rest as it arrives; ends `call` after the last byte. */
  sendTo(call: ClientRequest): void {
    this.detach();
    for (const chunk of this.replay ?? []) call.write(chunk);
    this.sendRest(call, true);
  }

  /** Stops passing the body on (the attempt failed, or the replica answered). */
  detach(): void {
    this.detachFrom?.();
    this.detachFrom = undefined;
  }

  private sendRest(call: ClientRequest, mayLookAgain: boolean): void {
    const { source } = this;
    if (this.ended || source === undefined) {
      call.end();
      return;
    }
    if (arrivedWhole(source, this.length)) return this.sendWhole(source, call);
    // Node hands a request over as soon as its head is parsed, and parses the rest of the
    // packet (a usual prediction's whole body) right after: one microtask later, the body
    // is often all in, and sent whole costs far less than streamed.
    if (mayLookAgain) {
      queueMicrotask(() => {
        if (!call.destroyed) this.sendRest(call, false);
      });
      return;
    }
    this.stream(source, call);
  }

  // A body that came whole with its head (a usual prediction) is all in the source's buffer
  // already: it goes with the upstream request's head in one write, and no listener is set.
  private sendWhole(source: Readable, call: ClientRequest): void {
    let last: Buffer | undefined;
    for (let chunk = readChunk(source); chunk !== null; chunk = readChunk(source)) {
      this.bytes += chunk.length;
      if (this.bytes > this.maxBytes) {
        this.failure = new BodyTooLargeError(this.maxBytes);
        call.destroy(this.failure);
        return;
      }
      this.remember(chunk);
      if (last) call.write(last);
      last = chunk;
    }
    this.ended = true;
    call.end(last);
    source.resume(); // lets it end
  }

  // Paused mode: 'readable' comes once the parser has handed over all that a packet held, so
  // a body that came whole with its headers (a usual prediction) goes in the same one write
  // as the upstream request's head, and a longer one chunk by chunk, as it arrives.
  private stream(source: Readable, call: ClientRequest): void {
    let waiting = false;
    const onReadable = (): void => {
      if (waiting) return;
      for (let chunk = readChunk(source); chunk !== null; chunk = readChunk(source)) {
        this.bytes += chunk.length;
        if (this.bytes > this.maxBytes) return fail(new BodyTooLargeError(this.maxBytes));
        this.remember(chunk);
        if (isLastChunk(source)) return finish(chunk);
        // Backpressure: a slow replica slows the caller rather than filling the router.
        if (!call.write(chunk)) {
          waiting = true;
          call.once('drain', () => {
            waiting = false;
            onReadable();
          });
          return;
        }
      }
    };
    const finish = (last?: Buffer): void => {
      this.ended = true;
      this.detach();
      call.end(last);
      source.resume(); // lets it end
    };
    const fail = (error: Error): void => {
      this.failure = error;
      this.detach();
      call.destroy(error);
    };
    this.detachFrom = listenTo(source, {
      readable: onReadable,
      end: () => finish(),
      gone: (error) => {
        if (!this.ended) fail(new CallerGoneError(error ?? 'connection closed'));
      },
    });
  }

  private remember(chunk: Buffer): void {
    if (this.replay === undefined) return;
    this.replayBytes += chunk.length;
    if (this.replayBytes > REPLAY_LIMIT_BYTES) this.replay = undefined;
    else this.replay.push(chunk);
  }
}

function readChunk(source: Readable): Buffer | null {
  return source.read() as Buffer | null;
}

// The caller's whole body is in the source's buffer: parsed to its end, or as long as the
// declared length (the parser holds a body to it), which comes first.
function arrivedWhole(source: Readable, length: number | undefined): boolean {
  if (!(source instanceof IncomingMessage)) return false;
  return source.complete || (length !== undefined && source.readableLength >= length);
}

// The caller's whole body is in: nothing buffered and the message complete.
function isLastChunk(source: Readable): boolean {
  return source instanceof IncomingMessage && source.complete && source.readableLength === 0;
}

type SourceListeners = {
  readable: () => void;
  end: () => void;
  gone: (error?: unknown) => void;
};

function listenTo(source: Readable, on: SourceListeners): () => void {
  source.on('readable', on.readable);
  source.once('end', on.end);
  source.once('error', on.gone);
  source.once('close', on.gone);
  return () => {
    source.off('readable', on.readable);
    source.off('end', on.end);
    source.off('error', on.gone);
    source.off('close', on.gone);
  };
}
