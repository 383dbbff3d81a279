import { contentTypeOf, modelUnderTest } from './model-under-test';

describe('modelUnderTest', () => {
  it('is nothing without --model', async () => {
    await expect(modelUnderTest({ workers: 1 })).resolves.toBeUndefined();
  });

  it("sends the manifest's selfTest.input by default, as JSON when it is JSON", async () => {
    const model = await modelUnderTest({ model: 'examples/iris-python', workers: 2 });
    expect(model).toMatchObject({
      body: '{"features":[5.1,3.5,1.4,0.2]}',
      contentType: 'application/json',
      workers: 2,
    });
    expect(model?.dir).toMatch(/examples\/iris-python$/);
  });

  it('sends --body when given', async () => {
    const model = await modelUnderTest({ model: 'examples/echo-node', body: 'hi', workers: 1 });
    expect(model).toMatchObject({ body: 'hi', contentType: 'text/plain' });
  });
});

describe('contentTypeOf', () => {
  it('calls JSON what parses as JSON and the rest text', () => {
    expect(contentTypeOf('[1,2]')).toBe('application/json');
    expect(contentTypeOf('hello')).toBe('text/plain');
  });
});
