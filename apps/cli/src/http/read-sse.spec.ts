import { readSse } from './read-sse';

/** A body that delivers `chunks` one by one, as the network may split them. */
function bodyOf(...chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) {
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      }
      controller.close();
    },
  });
}

async function eventsOf(body: ReadableStream<Uint8Array>) {
  const events = [];
  for await (const event of readSse(body)) events.push(event);
  return events;
}

describe(readSse.name, () => {
  it('dispatches a named event at the blank line', async () => {
    expect(await eventsOf(bodyOf('event: step\ndata: {"a":1}\n', '\n'))).toEqual([
      { event: 'step', data: '{"a":1}' },
    ]);
  });

  it('yields each event as soon as its chunk arrived', async () => {
    let pull = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pull++;
        if (pull === 1) controller.enqueue(new TextEncoder().encode('data: first\n\n'));
      },
    });
    const events = readSse(body);
    expect((await events.next()).value).toEqual({ event: 'message', data: 'first' });
    await events.return(undefined);
  });

  it('joins data lines with newlines and names unnamed events "message"', async () => {
    expect(await eventsOf(bodyOf('data: one\ndata: two\n\n'))).toEqual([
      { event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('accepts CRLF, LF and CR line ends, also split across chunks', async () => {
    const body = bodyOf('event: a\r', '\ndata: 1\r\n\r', '\nevent: b\rdata: 2\r\r');
    expect(await eventsOf(body)).toEqual([
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
    ]);
  });

  it('skips comments and retry fields, and drops one space after the colon only', async () => {
    expect(await eventsOf(bodyOf('retry: 1000\n: connected\n\ndata:x\ndata:  y\n\n'))).toEqual([
      { event: 'message', data: 'x\n y' },
    ]);
  });

  it('does not dispatch an event without data, and passes on the id', async () => {
    expect(await eventsOf(bodyOf('event: ping\n\nid: 7\ndata: z\n\n'))).toEqual([
      { event: 'message', data: 'z', id: '7' },
    ]);
  });

  it('parses a stream fed one character at a time', async () => {
    const text = 'event: log\ndata: {"type":"log","line":"hi"}\n\nevent: done\ndata: {}\n\n';
    const events = await eventsOf(bodyOf(...text));
    expect(events.map((e) => e.event)).toEqual(['log', 'done']);
  });

  it('drops an event cut off by the end of the stream', async () => {
    expect(await eventsOf(bodyOf('data: whole\n\n', 'data: half'))).toEqual([
      { event: 'message', data: 'whole' },
    ]);
  });

  it('decodes multi-byte characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: héllo\n\n');
    // Splits the two bytes of "é".
    expect(await eventsOf(bodyOf(bytes.subarray(0, 8), bytes.subarray(8)))).toEqual([
      { event: 'message', data: 'héllo' },
    ]);
  });
});
