import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { ApiError } from '../http/api.errors';
import { cliHarness, type CliHarness } from '../testing/cli-harness';
import { startFakeServer, type FakeServer } from '../testing/fake-server';
import { loggedIn, TOKEN } from '../testing/fixtures';
import { predict } from './predict-command';

describe(predict.name, () => {
  let root: string;
  let router: FakeServer;
  let sut: CliHarness;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-predict-'));
    await loggedIn(root);
    router = await startFakeServer({
      'POST /v1/models/iris/predict': (req) => ({
        json: {
          echoed: req.body.toString(),
          type: req.headers['content-type'],
          ...(req.query.has('alias') ? { alias: req.query.get('alias') } : {}),
        },
      }),
      'POST /v1/models/iris/versions/1.0.0+aaaaaaaaaaaa/predict': () => ({
        contentType: 'text/plain',
        text: 'from version a\n',
      }),
      'POST /v1/models/down/predict': () => ({
        status: 503,
        json: { code: 'NO_READY_REPLICA', message: 'no replica of down is ready' },
      }),
    });
    sut = cliHarness({ dataDir: root, urls: { builder: '', router: router.url, auth: '' } });
  });
  afterEach(async () => {
    await router.close();
    await rm(root, { recursive: true, force: true });
  });

  it('sends JSON input as application/json with the token, and prints the body', async () => {
    await sut.run('predict', 'iris', '{"features":[1,2]}');
    expect(sut.lines).toEqual([
      JSON.stringify({ echoed: '{"features":[1,2]}', type: 'application/json' }),
    ]);
    expect(router.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('reads the input from @file, and sends non-JSON as text', async () => {
    const file = path.join(root, 'input.txt');
    await writeFile(file, 'hello');
    await sut.run('predict', 'iris', `@${file}`);
    expect(JSON.parse(sut.lines[0] ?? '')).toEqual({
      echoed: 'hello',
      type: 'text/plain; charset=utf-8',
    });
  });

  it('calls a version directly with --version', async () => {
    await sut.run('predict', 'iris', '--version', '1.0.0+aaaaaaaaaaaa', 'x');
    expect(sut.lines).toEqual(['from version a']);
  });

  it('asks the router for another alias with ?alias=', async () => {
    await sut.run('predict', 'iris', '--alias', 'canary', 'x');
    expect(JSON.parse(sut.lines[0] ?? '')).toMatchObject({ alias: 'canary' });
  });

  it('turns a non-2xx answer into "error CODE: message"', async () => {
    const pending = sut.run('predict', 'down', 'x');
    await expect(pending).rejects.toBeInstanceOf(ApiError);
    await expect(sut.run('predict', 'down', 'x')).rejects.toThrow(
      'error NO_READY_REPLICA: no replica of down is ready',
    );
    expect(sut.lines).toEqual([]);
  });

  it('refuses --version with --alias', async () => {
    await expect(sut.run('predict', 'iris', '--version', 'v', '--alias', 'a', 'x')).rejects.toThrow(
      'give --version or --alias, not both',
    );
  });
});
