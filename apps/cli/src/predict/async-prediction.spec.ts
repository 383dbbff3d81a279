import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { cliHarness, type CliHarness } from '../testing/cli-harness';
import { startFakeServer, type FakeServer } from '../testing/fake-server';
import { loggedIn, TOKEN } from '../testing/fixtures';
import { showPrediction } from './async-prediction';

const ID = '5f0c6a52-6f7e-4d43-9a53-0a4d1f2b9c11';

describe(showPrediction.name, () => {
  let root: string;
  let router: FakeServer;
  let sut: CliHarness;
  let reads = 0;

  beforeEach(async () => {
    reads = 0;
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-async-'));
    await loggedIn(root);
    const view = (status: string) => ({
      id: ID,
      model: 'iris',
      status,
      acceptedAt: '2026-12-06T10:00:00.000Z',
      expiresAt: '2026-12-06T11:00:00.000Z',
      ...(status === 'succeeded' && { version: '1.0.0', output: '{"class":"setosa"}\n' }),
    });
    router = await startFakeServer({
      'POST /v1/models/iris/predict:async': () => ({
        status: 202,
        json: { id: ID, status: 'pending', location: `/v1/predictions/${ID}` },
      }),
      [`GET /v1/predictions/${ID}`]: () => ({ json: view(++reads < 3 ? 'pending' : 'succeeded') }),
      'GET /v1/predictions/broken': () => ({
        json: { id: 'broken', status: 'failed', error: { code: 'MODEL_ERROR', message: 'boom' } },
      }),
    });
    sut = cliHarness({ dataDir: root, urls: { builder: '', router: router.url, auth: '' } });
  });
  afterEach(async () => {
    await router.close();
    await rm(root, { recursive: true, force: true });
  });

  it('queues with --async and prints the id', async () => {
    await sut.run('predict', 'iris', '--async', '--callback', 'http://127.0.0.1:9/h', '{"a":1}');
    expect(sut.lines).toEqual([ID]);
    const [sent] = router.requests;
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent?.headers['x-mlrun-callback-url']).toBe('http://127.0.0.1:9/h');
    expect(sent?.body.toString()).toBe('{"a":1}');
  });

  it('waits with --wait until the prediction is settled and prints its output', async () => {
    await sut.run('predict', 'iris', '--async', '--wait', 'x');
    expect(sut.lines).toEqual(['{"class":"setosa"}']);
    expect(reads).toBe(3);
  });

  it('reads a prediction by id as JSON', async () => {
    await sut.run('prediction', ID);
    expect(JSON.parse(sut.lines.join('\n'))).toMatchObject({ id: ID, status: 'pending' });
  });

  it('turns a failed prediction into an error with its code', async () => {
    await expect(sut.run('prediction', 'broken', '--wait')).rejects.toThrow(
      'prediction broken failed: MODEL_ERROR: boom',
    );
  });

  it('refuses --async with --version', async () => {
    await expect(sut.run('predict', 'iris', '--async', '--version', 'v', 'x')).rejects.toThrow(
      /--async predicts with the stable alias/,
    );
  });
});
