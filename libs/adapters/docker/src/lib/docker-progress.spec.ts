import { PassThrough } from 'node:stream';

import { repositoryOf } from './docker-images';
import { followDockerStream } from './docker-progress';

function streamOf(chunks: string[]): PassThrough {
  const stream = new PassThrough();
  setImmediate(() => {
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  });
  return stream;
}

describe(followDockerStream.name, () => {
  it('passes build output on line by line, and keeps the image id', async () => {
    const lines: string[] = [];
    const messages = [
      { stream: 'Step 1/2 : FROM base\n' },
      { stream: ' ---> 1a2b\n' },
      { aux: { ID: 'sha256:abc' } },
      { stream: 'Successfully built abc\n' },
    ].map((m) => JSON.stringify(m));
    // Split inside a message: chunks do not follow lines.
    const text = `${messages.join('\n')}\n`;
    const outcome = await followDockerStream(streamOf([text.slice(0, 17), text.slice(17)]), (l) =>
      lines.push(l),
    );
    expect(lines).toEqual(['Step 1/2 : FROM base', ' ---> 1a2b', 'Successfully built abc']);
    expect(outcome).toEqual({ lines, aux: [{ ID: 'sha256:abc' }], statusById: {} });
  });

  it('reports the first error, and leaves layer byte counters out of the log', async () => {
    const outcome = await followDockerStream(
      streamOf([
        `${JSON.stringify({ status: 'Pushing', id: 'l1', progress: '[=>   ] 1MB/9MB' })}\n`,
        `${JSON.stringify({ status: 'Pushed', id: 'l1' })}\n`,
        `${JSON.stringify({ error: 'The command returned a non-zero code: 1', errorDetail: {} })}\n`,
        `${JSON.stringify({ error: 'second' })}`,
      ]),
      () => undefined,
    );
    expect(outcome.error).toBe('The command returned a non-zero code: 1');
    expect(outcome.lines).toEqual([
      'l1: Pushed',
      'error: The command returned a non-zero code: 1',
      'error: second',
    ]);
    expect(outcome.statusById).toEqual({ l1: 'Pushed' });
  });

  it('keeps a line that is not JSON as it is', async () => {
    const outcome = await followDockerStream(streamOf(['plain text\n']), () => undefined);
    expect(outcome.lines).toEqual(['plain text']);
  });
});

describe(repositoryOf.name, () => {
  it.each([
    ['127.0.0.1:5000/ml-run/iris:1.0.0-abc', '127.0.0.1:5000/ml-run/iris'],
    ['127.0.0.1:5000/ml-run/iris', '127.0.0.1:5000/ml-run/iris'],
    ['ml-run/base:latest', 'ml-run/base'],
  ])('%s → %s', (tag, repository) => expect(repositoryOf(tag)).toBe(repository));
});
