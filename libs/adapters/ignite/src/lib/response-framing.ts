/**
 * A fix for apache-ignite-client 1.0.0's response reader (lib/internal/ClientSocket.js).
 *
 * Its socket 'data' handler appends each chunk to a buffer and reads responses off it, but
 * it reads the next response's 4-byte length prefix without checking that 4 bytes are
 * there. When TCP splits a prefix across two chunks, the read throws "Unexpected format of
 * response", the client drops the connection and every request in flight on it fails. The
 * more responses in flight, the more often a chunk ends inside a prefix (measured: 5,000
 * gets in flight on one connection failed in 3 of 3 ten-round runs; 1,000 failed rarely).
 * The handler is also async and not serialized, so two chunks can be read at once.
 *
 * The fix hands the original reader only whole responses, one batch at a time: bytes of a
 * response still arriving wait here. It never changes what a response says, so answers still
 * go to their own requests (none ever went astray, with or without it).
 */
export class ResponseFramer {
  private pending: Buffer | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deliver: (wholeResponses: Buffer) => Promise<void>) {}

  /** Takes a chunk as it came off the socket. */
  push(chunk: Buffer): Promise<void> {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const end = wholeResponsesEnd(data);
    this.pending = end < data.length ? Buffer.from(data.subarray(end)) : undefined;
    if (end === 0) return Promise.resolve();
    const batch = data.subarray(0, end);
    const delivered = this.queue.then(() => this.deliver(batch));
    this.queue = delivered.catch(() => undefined);
    return delivered;
  }
}

/** Where the last whole response in `data` ends (each is an int32 LE length, then that many bytes). */
export function wholeResponsesEnd(data: Buffer): number {
  let end = 0;
  while (data.length - end >= 4) {
    const size = 4 + data.readInt32LE(end);
    if (size < 4 || data.length - end < size) break;
    end += size;
  }
  return end;
}

type ClientSocketPrototype = {
  _processResponse(this: SocketWithFramer, message: Buffer): Promise<void>;
};
type SocketWithFramer = { mlrunFramer?: ResponseFramer };

let installed = false;

/**
 * Puts the fix into apache-ignite-client's ClientSocket, once per process: every client
 * made afterwards (the pool's, a model's ctx.ignite) reads whole responses only.
 */
export function installIgniteResponseFraming(): void {
  if (installed) return;
  // The internal module of the pinned 1.0.0; the fix is checked against it by its specs.
  const socket = require('apache-ignite-client/lib/internal/ClientSocket') as {
    prototype: ClientSocketPrototype;
  };
  const original = socket.prototype._processResponse;
  socket.prototype._processResponse = function (this: SocketWithFramer, chunk: Buffer) {
    this.mlrunFramer ??= new ResponseFramer((whole) => original.call(this, whole));
    return this.mlrunFramer.push(chunk);
  };
  installed = true;
}
