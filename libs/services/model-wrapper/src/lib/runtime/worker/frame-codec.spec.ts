import { Writable } from 'node:stream';

import { encodeFrame, FrameDecoder, FrameError, FrameWriter } from './frame-codec';

describe(FrameDecoder.name, () => {
  const messages = [
    { id: 1, op: 'init', config: { A: 'b' } },
    { id: 2, op: 'predict', input: 'ünïcødé 😀 and "quotes"\n' },
    { id: 3, ok: true, output: '' },
  ];
  const stream = Buffer.concat(messages.map((message) => encodeFrame(message)));

  it('encodes a big-endian length followed by UTF-8 JSON', () => {
    const frame = encodeFrame({ input: 'é' });
    const body = Buffer.from('{"input":"é"}', 'utf8');
    expect(frame.readUInt32BE(0)).toBe(body.length);
    expect(frame.subarray(4)).toEqual(body);
  });

  it('decodes several frames from one chunk', () => {
    const sut = new FrameDecoder();
    expect(sut.push(stream)).toEqual(messages);
    expect(sut.pendingBytes).toBe(0);
  });

  it('decodes frames split at every byte', () => {
    const sut = new FrameDecoder();
    const decoded: unknown[] = [];
    for (let i = 0; i < stream.length; i++) decoded.push(...sut.push(stream.subarray(i, i + 1)));
    expect(decoded).toEqual(messages);
  });

  it('decodes frames split at arbitrary points, header included', () => {
    for (const cut of [1, 3, 4, 5, 17, stream.length - 1]) {
      const sut = new FrameDecoder();
      const decoded = [...sut.push(stream.subarray(0, cut)), ...sut.push(stream.subarray(cut))];
      expect(decoded).toEqual(messages);
    }
  });

  it('keeps a partial frame until it completes', () => {
    const sut = new FrameDecoder();
    const frame = encodeFrame({ id: 9 });
    expect(sut.push(frame.subarray(0, 6))).toEqual([]);
    expect(sut.pendingBytes).toBe(6);
    expect(sut.push(Buffer.concat([frame.subarray(6), frame.subarray(0, 2)]))).toEqual([{ id: 9 }]);
    expect(sut.pendingBytes).toBe(2);
  });

  it('decodes a 1 MiB frame delivered in 64 KiB chunks', () => {
    const input = 'x'.repeat(1024 * 1024);
    const frame = encodeFrame({ id: 1, input });
    const sut = new FrameDecoder();
    const decoded: unknown[] = [];
    for (let at = 0; at < frame.length; at += 65_536) {
      decoded.push(...sut.push(frame.subarray(at, at + 65_536)));
    }
    expect(decoded).toEqual([{ id: 1, input }]);
  });

  it('rejects a frame longer than the limit', () => {
    const sut = new FrameDecoder(10);
    expect(() => sut.push(encodeFrame({ input: 'more than ten bytes' }))).toThrow(FrameError);
  });

  it('rejects a body that is not JSON', () => {
    const body = Buffer.from('not json');
    const header = Buffer.alloc(4);
    header.writeUInt32BE(body.length);
    expect(() => new FrameDecoder().push(Buffer.concat([header, body]))).toThrow(FrameError);
  });
});

describe(FrameWriter.name, () => {
  function capture() {
    const writes: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        writes.push(chunk);
        done();
      },
    });
    return { stream, writes };
  }

  it('sends the frames of one event-loop turn in one write, in order', async () => {
    const { stream, writes } = capture();
    const sut = new FrameWriter(stream);
    sut.write({ id: 1 });
    sut.write({ id: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    sut.write({ id: 3 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(2);
    expect(new FrameDecoder().push(Buffer.concat(writes))).toEqual([
      { id: 1 },
      { id: 2 },
      { id: 3 },
    ]);
  });

  it('writes what is batched at once on flush', () => {
    const { stream, writes } = capture();
    const sut = new FrameWriter(stream);
    sut.write({ id: 1 });
    sut.flush();
    expect(new FrameDecoder().push(Buffer.concat(writes))).toEqual([{ id: 1 }]);
  });
});
