import type { ClientRequest } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';

import { REPLAY_LIMIT_BYTES, RequestBody } from './request-body';

// A stand-in for the upstream request: collects what the body sends it.
function upstreamCall(): { call: ClientRequest; sent: Promise<Buffer> } {
  const call = new PassThrough();
  return { call: call as unknown as ClientRequest, sent: buffer(call) };
}

describe(RequestBody.name, () => {
  it('sends a small body again, whole, to a second replica after the first refused it', async () => {
    const bytes = Buffer.alloc(1000, 'a');
    const sut = new RequestBody(Readable.from([bytes]), 10_000, bytes.length);
    const first = upstreamCall();
    sut.sendTo(first.call);
    expect(await first.sent).toEqual(bytes);
    expect(sut.replayable).toBe(true);
    const second = upstreamCall();
    sut.sendTo(second.call);
    expect(await second.sent).toEqual(bytes);
  });

  it('is no longer replayable once more than 64 KiB went to a replica', async () => {
    const chunk = Buffer.alloc(16 * 1024, 'b');
    const chunks = Array.from({ length: REPLAY_LIMIT_BYTES / chunk.length + 1 }, () => chunk);
    const sut = new RequestBody(Readable.from(chunks), 1024 * 1024, undefined);
    const first = upstreamCall();
    sut.sendTo(first.call);
    expect((await first.sent).length).toBe(REPLAY_LIMIT_BYTES + chunk.length);
    expect(sut.replayable).toBe(false);
  });
});
