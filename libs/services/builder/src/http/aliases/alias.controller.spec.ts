import { EXAMPLES, exampleZip } from '@ml-run/builder-image-build/testing';
import { AliasController } from '@ml-run/builder-registry';

import { read, uploadBuilt, write } from '../../testing/builder-requests';
import { bearer, READER_TOKEN } from '../../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

describe(AliasController.name, () => {
  let sut: TestBuilder;
  let v1: string;
  let v2: string;

  beforeAll(async () => {
    sut = await startTestBuilder();
    v1 = (await uploadBuilt(sut, await exampleZip(EXAMPLES.echo))).version;
    const retrained = { 'coefficients/settings.json': '{ "prefix": "two: " }' };
    v2 = (await uploadBuilt(sut, await exampleZip(EXAMPLES.echo, retrained))).version;
  });
  afterAll(() => sut.close());
  beforeEach(() => {
    sut.events.length = 0;
  });

  const setAlias = (alias: string, body: object, model = 'echo') =>
    write(sut, 'PUT', `/v1/models/${model}/aliases/${alias}`, body);

  it('points an alias at one version and publishes alias.changed', async () => {
    const res = await setAlias('stable', { version: v1 });
    expect(res.statusCode).toBe(200);
    const target = { versions: [{ version: v1, weight: 100 }] };
    expect(res.json()).toEqual({ name: 'echo', alias: 'stable', ...target });
    expect((await read(sut, '/v1/models/echo')).json().aliases.stable).toEqual(target);
    expect(sut.events).toEqual([
      { type: 'alias.changed', name: 'echo', alias: 'stable', target, at: expect.any(String) },
    ]);
  });

  it('splits an alias by weight', async () => {
    const canary = {
      versions: [
        { version: v1, weight: 90 },
        { version: v2, weight: 10 },
      ],
    };
    const res = await setAlias('canary', canary);
    expect(res.statusCode).toBe(200);
    expect((await read(sut, '/v1/models/echo')).json().aliases.canary).toEqual(canary);
  });

  it.each([
    ['Stable', { version: 'x' }, 'must be a lower-case letter'],
    ['a'.repeat(33), { version: 'x' }, 'must be a lower-case letter'],
    ['stable', {}, 'send {"version"'],
    ['stable', { versions: [{ version: 'x' }] }, 'send {"version"'],
    ['stable', { versions: [] }, 'name at least one version'],
    [
      'stable',
      {
        versions: [
          { version: 'a', weight: 90 },
          { version: 'b', weight: 20 },
        ],
      },
      'weights must sum to 100, got 110',
    ],
    [
      'stable',
      {
        versions: [
          { version: 'a', weight: 50 },
          { version: 'a', weight: 50 },
        ],
      },
      'version a is listed twice',
    ],
    ['stable', { version: '9.9.9+000000000000' }, 'has no version 9.9.9+000000000000; versions: '],
  ])('refuses alias %s with %j: %s', async (alias, body, problem) => {
    const res = await setAlias(alias, body);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      code: 'INVALID_ALIAS',
      message: expect.stringContaining(problem),
    });
    expect(sut.events).toEqual([]);
  });

  it('answers 404 naming the models for an unknown model', async () => {
    const res = await setAlias('stable', { version: v1 }, 'nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      code: 'MODEL_NOT_FOUND',
      message: expect.stringContaining('models: echo'),
    });
  });

  it('takes JSON only: a raw body is for uploads', async () => {
    const res = await sut.app.inject({
      method: 'PUT',
      url: '/v1/models/echo/aliases/stable',
      headers: { ...bearer('writer-token'), 'content-type': 'application/zip' },
      payload: Buffer.from('PK'),
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('needs models:write on the model', async () => {
    const res = await sut.app.inject({
      method: 'PUT',
      url: '/v1/models/echo/aliases/stable',
      headers: bearer(READER_TOKEN),
      payload: { version: v1 },
    });
    expect(res.statusCode).toBe(403);
  });
});
