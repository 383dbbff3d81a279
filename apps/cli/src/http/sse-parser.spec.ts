import { readSse, SseParser } from './sse-parser';

describe(SseParser.name, () => {
  let sut: SseParser;
  beforeEach(() => {
    sut = new SseParser();
  });

  it('dispatches a named event at the blank line', () => {
    expect(sut.push('event: step\ndata: {"a":1}\n')).toEqual([]);
    expect(sut.push('\n')).toEqual([{ event: 'step', data: '{"a":1}' }]);
  });

  it('joins data lines with newlines and names unnamed events "message"', () => {
    expect(sut.push('data: one\ndata: two\n\n')).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('accepts CRLF, LF and CR line ends, also split across chunks', () => {
    const events = [
      ...sut.push('event: a\r'),
      ...sut.push('\ndata: 1\r\n\r'),
      ...sut.push('\nevent: b\rdata: 2\r\r'),
      ...sut.end(),
    ];
    expect(events).toEqual([
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
    ]);
  });

  it('skips comments and retry fields, and drops one space after the colon only', () => {
    expect(sut.push('retry: 1000\n: connected\n\ndata:x\ndata:  y\n\n')).toEqual([
      { event: 'message', data: 'x\n y' },
    ]);
  });

  it('does not dispatch an event without data, and keeps the last id', () => {
    expect(sut.push('event: ping\n\nid: 7\ndata: z\n\n')).toEqual([
      { event: 'message', data: 'z', id: '7' },
    ]);
  });

  it('parses a stream fed one character at a time', () => {
    const text = 'event: log\ndata: {"type":"log","line":"hi"}\n\nevent: done\ndata: {}\n\n';
    const events = [...text].flatMap((char) => sut.push(char));
    expect(events.map((e) => e.event)).toEqual(['log', 'done']);
  });

  it('drops an event cut off by the end of the stream', () => {
    sut.push('data: half');
    expect(sut.end()).toEqual([]);
  });
});

describe(readSse.name, () => {
  it('reads events from a byte stream, multi-byte characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: héllo\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 8)); // splits the two bytes of "é"
        controller.enqueue(bytes.subarray(8));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readSse(body)) events.push(event);
    expect(events).toEqual([{ event: 'message', data: 'héllo' }]);
  });
});
