import { EventEmitter } from 'node:events';
import net from 'node:net';
import IgniteClient from 'apache-ignite-client';

import { checkIgniteResponseFraming } from './response-framing';

// What patches/apache-ignite-client+1.0.0.patch fixes: the client's reader drops the
// connection when a response's 4-byte length prefix is split across TCP chunks. Here the
// client's own connect and get run over a socket whose bytes arrive in chunks of a chosen
// size, so every split happens, on every run (a real socket splits only by chance).

const OP_CACHE_GET = 1000;
const STRING = 9;

function frame(body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32LE(body.length);
  return Buffer.concat([length, body]);
}

function stringObject(text: string): Buffer {
  const bytes = Buffer.from(text);
  const header = Buffer.alloc(5);
  header.writeInt8(STRING, 0);
  header.writeInt32LE(bytes.length, 1);
  return Buffer.concat([header, bytes]);
}

// Answers the handshake, then each cache get with `value-of:<key>`, but holds the answers
// back until flush() sends them all, cut into chunks of chunkSize bytes. Only the first
// connection is served: a client that dropped it and reconnects gets nowhere.
class ChunkingIgnite extends EventEmitter {
  private readonly held: Buffer[] = [];
  private handshaken = false;

  constructor(private readonly chunkSize: number) {
    super();
  }

  write(message: Buffer): boolean {
    if (!this.handshaken) {
      this.handshaken = true;
      setImmediate(() => this.emit('data', frame(Buffer.from([1])))); // handshake: success
      return true;
    }
    // length, op code (int16), request id (int64), cache id (int32), flags (byte), key
    expect(message.readInt16LE(4)).toBe(OP_CACHE_GET);
    const requestId = message.subarray(6, 14);
    const keyLength = message.readInt32LE(20);
    const key = message.subarray(24, 24 + keyLength).toString();
    const status = Buffer.alloc(4); // 0: success
    this.held.push(frame(Buffer.concat([requestId, status, stringObject(`value-of:${key}`)])));
    return true;
  }

  /** Each chunk in its own turn of the event loop, as a socket delivers them. */
  async flush(): Promise<void> {
    const stream = Buffer.concat(this.held.splice(0));
    for (let at = 0; at < stream.length; at += this.chunkSize) {
      this.emit('data', stream.subarray(at, at + this.chunkSize));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  ended = false;

  end(): void {
    this.ended = true;
  }
}

describe('apache-ignite-client with whole-response framing', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is the patched client (the check @ml-run/ignite makes before connecting)', () => {
    expect(() => checkIgniteResponseFraming()).not.toThrow();
  });

  // Response lengths vary with the key, so prefixes fall at every offset within chunks.
  it.each([1, 2, 3, 4, 5, 7, 64])(
    'answers each of 50 gets with its own value when bytes arrive %i at a time',
    async (chunkSize) => {
      const socket = new ChunkingIgnite(chunkSize);
      jest.spyOn(net, 'createConnection').mockImplementation(((
        _options: unknown,
        onConnected: () => void,
      ) => {
        setImmediate(onConnected);
        return socket;
      }) as unknown as typeof net.createConnection);
      const states: number[] = [];
      const client = new IgniteClient((state) => states.push(state));
      await client.connect(new IgniteClient.IgniteClientConfiguration('127.0.0.1:10800'));
      states.length = 0;
      const cache = client.getCache('framing');
      const keys = Array.from({ length: 50 }, (_, i) => `key-${i}-${'x'.repeat(i % 11)}`);

      const answers = Promise.allSettled(keys.map((key) => cache.get(key)));
      await new Promise((resolve) => setImmediate(resolve)); // every request written
      await socket.flush();

      expect(await answers).toEqual(
        keys.map((key) => ({ status: 'fulfilled', value: `value-of:${key}` })),
      );
      expect(states).toEqual([]); // the connection was never dropped
      client.disconnect();
      expect(socket.ended).toBe(true);
    },
  );
});
