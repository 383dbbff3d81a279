import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { cliHarness, type CliHarness } from '../testing/cli-harness';
import { startFakeServer, type FakeServer } from '../testing/fake-server';
import { deploymentRecord, loggedIn, modelRecord } from '../testing/fixtures';
import { registerStreamCommand } from './stream-command';

const V1 = '1.0.0+aaaaaaaaaaaa';
const DEPLOYMENT = `/v1/models/iris/versions/${V1}/deployment`;
const FROM = 'ml-run.stream.iris.in';
const TO = 'ml-run.stream.iris.scored';

describe(registerStreamCommand.name, () => {
  let root: string;
  let builder: FakeServer;
  let sut: CliHarness;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-stream-'));
    await loggedIn(root);
    const ready = deploymentRecord({ name: 'iris', version: V1, state: 'ready', replicas: 3 });
    builder = await startFakeServer({
      'GET /v1/models/iris': () => ({
        json: modelRecord({
          name: 'iris',
          aliases: { stable: { versions: [{ version: V1, weight: 100 }] } },
          deployments: [ready],
        }),
      }),
      [`POST ${DEPLOYMENT}`]: () => ({ json: ready }),
    });
    sut = cliHarness({ dataDir: root, urls: { builder: builder.url, router: '', auth: '' } });
  });
  afterEach(async () => {
    await builder.close();
    await rm(root, { recursive: true, force: true });
  });

  it('sets the stream on the version stable serves, keeping its replicas', async () => {
    await sut.run('stream', 'iris', '--from', FROM, '--to', TO);
    const post = builder.requests.find((request) => request.method === 'POST');
    expect(JSON.parse(post?.body.toString() ?? '')).toEqual({
      replicas: 3,
      stream: { from: FROM, to: TO },
    });
    expect(sut.lines.at(-1)).toBe(`streaming ${FROM} -> ${TO} through iris ${V1}`);
  });

  it.each([
    ['--to', 'ml-run.tokens'],
    ['--from', 'ml-run.stream.iris-2.in'],
  ])(
    'refuses %s %s outside the model’s namespace before calling the builder',
    async (flag, topic) => {
      const args =
        flag === '--to' ? ['--from', FROM, '--to', topic] : ['--from', topic, '--to', TO];
      await expect(sut.run('stream', 'iris', ...args)).rejects.toThrow(/ml-run\.stream\.iris\./);
      expect(builder.requests).toEqual([]);
    },
  );
});
