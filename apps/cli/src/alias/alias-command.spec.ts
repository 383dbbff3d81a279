import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { cliHarness, type CliHarness } from '../testing/cli-harness';
import { startFakeServer, type FakeServer } from '../testing/fake-server';
import { loggedIn } from '../testing/fixtures';
import { parseWeights, registerAliasCommand } from './alias-command';

const V1 = '1.0.0+aaaaaaaaaaaa';
const V2 = '1.1.0+bbbbbbbbbbbb';

describe(registerAliasCommand.name, () => {
  let root: string;
  let builder: FakeServer;
  let sut: CliHarness;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-alias-'));
    await loggedIn(root);
    builder = await startFakeServer({ 'PUT /v1/models/iris/aliases/stable': () => ({ json: {} }) });
    sut = cliHarness({ dataDir: root, urls: { builder: builder.url, router: '', auth: '' } });
  });
  afterEach(async () => {
    await builder.close();
    await rm(root, { recursive: true, force: true });
  });

  it('points an alias at one version', async () => {
    await sut.run('alias', 'iris', 'stable', V1);
    expect(JSON.parse(builder.requests[0]?.body.toString() ?? '')).toEqual({ version: V1 });
    expect(sut.lines).toEqual([`alias stable of iris now points at ${V1}`]);
  });

  it('splits an alias by weight', async () => {
    await sut.run('alias', 'iris', 'stable', '--weights', `${V1}=90,${V2}=10`);
    expect(JSON.parse(builder.requests[0]?.body.toString() ?? '')).toEqual({
      versions: [
        { version: V1, weight: 90 },
        { version: V2, weight: 10 },
      ],
    });
    expect(sut.lines).toEqual([`alias stable of iris now points at ${V1} (90%), ${V2} (10%)`]);
  });

  it('wants a version or --weights, not both, not neither', async () => {
    await expect(sut.run('alias', 'iris', 'stable')).rejects.toThrow(/name one version/);
    await expect(sut.run('alias', 'iris', 'stable', V1, '--weights', `${V1}=100`)).rejects.toThrow(
      /name one version/,
    );
    expect(builder.requests).toEqual([]);
  });
});

describe(parseWeights.name, () => {
  it('refuses weights that do not sum to 100 or are not numbers', () => {
    expect(() => parseWeights('a=90,b=20')).toThrow('--weights: weights must sum to 100, got 110');
    expect(() => parseWeights('a=ninety')).toThrow(/is not <version>=<weight>/);
    expect(() => parseWeights('=100')).toThrow(/is not <version>=<weight>/);
  });
});
