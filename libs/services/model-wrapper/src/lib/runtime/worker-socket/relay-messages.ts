// The messages between the wrapper (in its container) and the worker host (in the model's
// container) on one unix-socket connection per worker: a type byte, a 4-byte big-endian
// length, the body. The worker's own frame protocol travels untouched inside `fd` messages.

/** What the wrapper sends: the spawn request (first, once), fd data, fd end, a signal. */
export type ToHost =
  | { type: 'spawn'; request: RemoteSpawn }
  | { type: 'fd'; fd: number; data: Buffer }
  | { type: 'end'; fd: number }
  | { type: 'kill'; signal: NodeJS.Signals };

/** What the host answers: the worker's pid, fd data, how it exited, or why it did not start. */
export type FromHost =
  | { type: 'spawned'; pid: number }
  | { type: 'fd'; fd: number; data: Buffer }
  | { type: 'exit'; code: number | null; signal: NodeJS.Signals | null; oomKills: number }
  | { type: 'failed'; message: string };

/** The launch request as the wrapper built it; the image (and so every path) is the same. */
export type RemoteSpawn = {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  stdio: ('pipe' | 'ignore')[];
};

const HEADER_BYTES = 5;
// A predict's input is capped by the wrapper's body limit; frames are relayed in chunks.
const MAX_MESSAGE_BYTES = 1024 * 1024 * 1024;

const CODES = { spawn: 1, fd: 2, end: 3, kill: 4, spawned: 5, exit: 6, failed: 7 } as const;
type Type = keyof typeof CODES;
const TYPES = new Map<number, Type>(
  Object.entries(CODES).map(([type, code]) => [code, type as Type]),
);

function message(type: Type, body: Buffer): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt8(CODES[type], 0);
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

function fdMessage(fd: number, data: Buffer): Buffer {
  const body = Buffer.allocUnsafe(1 + data.length);
  body.writeUInt8(fd, 0);
  data.copy(body, 1);
  return message('fd', body);
}

export function encode(value: ToHost | FromHost): Buffer {
  switch (value.type) {
    case 'fd':
      return fdMessage(value.fd, value.data);
    case 'end':
      return message('end', Buffer.from([value.fd]));
    default: {
      const { type, ...rest } = value;
      return message(type, Buffer.from(JSON.stringify(rest)));
    }
  }
}

/** Splits a byte stream into messages; chunks may cut a message anywhere. */
export class RelayDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): (ToHost | FromHost)[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const out: (ToHost | FromHost)[] = [];
    while (this.buffered.length >= HEADER_BYTES) {
      const code = this.buffered.readUInt8(0);
      const length = this.buffered.readUInt32BE(1);
      const type = TYPES.get(code);
      if (type === undefined) throw new Error(`unknown worker relay message type ${code}`);
      if (length > MAX_MESSAGE_BYTES) throw new Error(`worker relay message of ${length} bytes`);
      if (this.buffered.length < HEADER_BYTES + length) break;
      const body = this.buffered.subarray(HEADER_BYTES, HEADER_BYTES + length);
      this.buffered = this.buffered.subarray(HEADER_BYTES + length);
      out.push(decodeBody(type, body));
    }
    return out;
  }
}

function decodeBody(type: Type, body: Buffer): ToHost | FromHost {
  if (type === 'fd') return { type, fd: body.readUInt8(0), data: Buffer.from(body.subarray(1)) };
  if (type === 'end') return { type, fd: body.readUInt8(0) };
  // The type byte decides, never a "type" inside the body (the other side is untrusted).
  const fields = JSON.parse(body.toString('utf8')) as object;
  return { ...fields, type } as ToHost | FromHost;
}
