import { createParser } from 'eventsource-parser';

/** One server-sent event: its name (`message` when unnamed) and its data lines joined by "\n". */
export type SseEvent = { event: string; data: string; id?: string };

/**
 * The events of a text/event-stream body, as they arrive; an event the stream cut off
 * before its closing blank line is dropped, as the spec says.
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  let completed: SseEvent[] = [];
  const parser = createParser({
    onEvent: ({ event, data, id }) =>
      completed.push({ event: event ?? 'message', data, ...(id === undefined ? {} : { id }) }),
  });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    yield* takeAll();
  }
  parser.feed(decoder.decode());
  parser.reset({ consume: true });
  yield* takeAll();

  function takeAll(): SseEvent[] {
    const events = completed;
    completed = [];
    return events;
  }
}
