import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ReadableStream } from 'node:stream/web';

/** A file as a request body read from disk as it is sent, counting the bytes. */
export async function uploadBody(
  path: string,
  onBytes: (sent: number) => void,
): Promise<{ body: ReadableStream<Uint8Array>; size: number }> {
  const { size } = await stat(path);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let sent = 0;
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      sent += chunk.length;
      onBytes(sent);
      yield chunk;
    }
  }
  return { body: ReadableStream.from(chunks()), size };
}
