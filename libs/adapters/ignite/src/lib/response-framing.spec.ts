import { ResponseFramer, wholeResponsesEnd } from './response-framing';

// A response as the server frames it: int32 LE length, then the body.
function frame(body: string): Buffer {
  const bytes = Buffer.from(body);
  const length = Buffer.alloc(4);
  length.writeInt32LE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function bodiesOf(batches: Buffer[]): string[] {
  const bodies: string[] = [];
  for (const batch of batches) {
    for (let at = 0; at < batch.length;) {
      const size = batch.readInt32LE(at);
      bodies.push(batch.subarray(at + 4, at + 4 + size).toString());
      at += 4 + size;
    }
  }
  return bodies;
}

describe(wholeResponsesEnd.name, () => {
  const two = Buffer.concat([frame('first'), frame('second')]);

  it('finds the end of the last whole response', () => {
    expect(wholeResponsesEnd(two)).toBe(two.length);
    expect(wholeResponsesEnd(two.subarray(0, two.length - 1))).toBe(frame('first').length);
  });

  it('stops before a length prefix that is cut off', () => {
    expect(wholeResponsesEnd(two.subarray(0, frame('first').length + 2))).toBe(9);
    expect(wholeResponsesEnd(Buffer.from([1, 0]))).toBe(0);
  });
});

describe(ResponseFramer.name, () => {
  const responses = ['a', '', 'a longer response body', 'x'.repeat(300), 'last'];
  const stream = Buffer.concat(responses.map(frame));

  it.each([1, 2, 3, 4, 5, 7, 64])(
    'hands on whole responses only, in order, from chunks of %i bytes',
    async (chunkSize) => {
      const batches: Buffer[] = [];
      const sut = new ResponseFramer(async (whole) => void batches.push(whole));
      for (let at = 0; at < stream.length; at += chunkSize) {
        await sut.push(stream.subarray(at, at + chunkSize));
      }
      expect(bodiesOf(batches)).toEqual(responses);
    },
  );

  it('never runs two deliveries at once', async () => {
    let running = 0;
    let overlapped = false;
    const sut = new ResponseFramer(async () => {
      running += 1;
      overlapped ||= running > 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
    });
    await Promise.all(responses.map((body) => sut.push(frame(body))));
    expect(overlapped).toBe(false);
  });

  it('passes a failed delivery on, and keeps delivering after it', async () => {
    const delivered: string[] = [];
    const sut = new ResponseFramer(async (whole) => {
      const [body = ''] = bodiesOf([whole]);
      if (body === 'bad') throw new Error('Invalid response id');
      delivered.push(body);
    });
    await expect(sut.push(frame('bad'))).rejects.toThrow('Invalid response id');
    await sut.push(frame('good'));
    expect(delivered).toEqual(['good']);
  });
});
