import path from 'node:path';

import { REPO_ROOT } from '@ml-run/process-testing';

import { contentTypeOf, modelUnderTest } from './model-under-test';

// --model is relative to the caller's directory; jest runs in the project's.
const example = (name: string) => path.join(REPO_ROOT, 'examples', name);

describe('modelUnderTest', () => {
  it('is nothing without --model', async () => {
    await expect(modelUnderTest({ workers: 1 })).resolves.toBeUndefined();
  });

  it("sends the manifest's selfTest.input by default, as JSON when it is JSON", async () => {
    const model = await modelUnderTest({ model: example('iris-python'), workers: 2 });
    expect(model).toMatchObject({
      body: '{"features":[5.1,3.5,1.4,0.2]}',
      contentType: 'application/json',
      workers: 2,
    });
    expect(model?.dir).toMatch(/examples\/iris-python$/);
  });

  it('sends --body when given', async () => {
    const model = await modelUnderTest({ model: example('echo-node'), body: 'hi', workers: 1 });
    expect(model).toMatchObject({ body: 'hi', contentType: 'text/plain' });
  });
});

describe('contentTypeOf', () => {
  it('calls JSON what parses as JSON and the rest text', () => {
    expect(contentTypeOf('[1,2]')).toBe('application/json');
    expect(contentTypeOf('hello')).toBe('text/plain');
  });
});
