import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';

import { EXAMPLES, exampleZip } from '@ml-run/builder-image-build/testing';
import { DockerImages, dockerOf, registryRequest } from '@ml-run/docker';
import { freePort, registryUnderTest, waitFor200 } from '@ml-run/process-testing';
import type { BuildRecord, ModelImage } from '@ml-run/registry-contract';

import { read, uploadBuilt, versionUrl } from '../../testing/builder-requests';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

// A builder on the real Docker engine and registry (tools/services/docker, registry), with
// the base image of tools/images and the wrapper of `npm run build`.
const ROOT = path.resolve(__dirname, '../../../../../..');
const STATE = process.env['MLRUN_SERVICES_DIR'] ?? path.join(os.homedir(), '.ml-run/services');
// The registry of tools/services/registry (TLS + auth), or the one the environment names.
const REGISTRY = registryUnderTest();
const BASE_IMAGE = execFileSync(path.join(ROOT, 'tools/images/build-base.sh'), ['--print-tag'])
  .toString()
  .trim();

type Timed = { version: string; image: ModelImage; log: string[]; seconds: number };

function report({ seconds, image }: Timed): string {
  const upload = image.upload;
  const kB = (bytes = 0) => (bytes / 1000).toFixed(1);
  return (
    `${seconds.toFixed(1)} s, pushed ${upload?.pushedLayers} of ${upload?.layers} layers, ` +
    `${kB(upload?.pushedBytes)} kB of ${kB(upload?.imageBytes)} kB compressed`
  );
}

// Runs an image the way a Swarm task will: host network, the wrapper on 127.0.0.1.
async function predictInContainer(docker: Docker, reference: string): Promise<unknown> {
  const port = await freePort();
  const container = await docker.createContainer({
    Image: reference,
    Env: [`MLRUN_PORT=${port}`, 'MLRUN_AUTH_MODE=disabled'],
    HostConfig: { NetworkMode: 'host', AutoRemove: true },
  });
  await container.start();
  try {
    await waitFor200(`http://127.0.0.1:${port}/readyz`, 30_000);
    const response = await fetch(`http://127.0.0.1:${port}/v1/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ features: [5.1, 3.5, 1.4, 0.2] }),
    });
    return await response.json();
  } finally {
    await container.stop({ t: 5 }).catch(() => undefined);
  }
}

describe('image and push steps on Docker', () => {
  let sut: TestBuilder;
  let docker: Docker;

  const buildTimed = async (zip: Buffer, name = 'iris'): Promise<Timed> => {
    const started = performance.now();
    const { version, buildId } = await uploadBuilt(sut, zip);
    const seconds = (performance.now() - started) / 1000;
    const build = (await read(sut, `/v1/builds/${buildId}`)).json() as BuildRecord;
    expect(build).toMatchObject({ state: 'succeeded' });
    const record = (await read(sut, versionUrl(name, version))).json();
    return { version, image: record.image, log: build.log, seconds };
  };
  const pushedLayers = (log: string[]) => log.filter((line) => /: Pushed$/.test(line)).length;

  beforeAll(async () => {
    const engine = dockerOf({ MLRUN_DOCKER_HOST: `unix://${STATE}/docker/docker.sock` });
    if (!engine) throw new Error('no docker host');
    docker = engine;
    sut = await startTestBuilder({
      images: {
        publisher: new DockerImages(docker, REGISTRY),
        registry: REGISTRY.address,
        baseImage: BASE_IMAGE,
        wrapperDir: path.join(ROOT, 'dist/images/model-wrapper'),
        npmDir: path.join(path.dirname(process.execPath), '../lib/node_modules/npm'),
        // This machine reaches package registries through a proxy with its own CA.
        fetchCaFile: '/etc/ssl/certs/ca-certificates.crt',
      },
    });
  });
  afterAll(() => sut?.close());

  it('pushes an image per version, and a coefficients-only version pushes one new layer', async () => {
    // Model code no earlier run has built: the code and coefficients layers are new, so
    // this is a model's first build on a builder that has the base and wrapper layers.
    const modelPy = `${await readFile(path.join(EXAMPLES.iris, 'model.py'), 'utf8')}\n# build ${Date.now()}\n`;
    const first = await buildTimed(await exampleZip(EXAMPLES.iris, { 'model.py': modelPy }));
    expect(first.image.reference).toMatch(
      new RegExp(`^${REGISTRY.address}/ml-run/iris@sha256:[0-9a-f]{64}$`),
    );
    const manifest = await registryRequest(
      REGISTRY,
      `/v2/ml-run/iris/manifests/${first.image.digest}`,
      {
        credential: REGISTRY.pull,
        headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      },
    );
    expect(manifest.status).toBe(200);
    const { layers } = JSON.parse(manifest.body) as { layers: { size: number }[] };
    expect(first.image.upload).toMatchObject({
      layers: layers.length,
      imageBytes: layers.reduce((total, layer) => total + layer.size, 0),
    });
    expect(first.image.upload?.pushedLayers).toBeGreaterThanOrEqual(2);
    expect(await predictInContainer(docker, first.image.reference)).toMatchObject({
      class: 'setosa',
    });

    const coefficients = JSON.parse(
      await readFile(path.join(EXAMPLES.iris, 'coefficients/model.json'), 'utf8'),
    );
    coefficients.trainedOn = `retrained ${Date.now()}`;
    const second = await buildTimed(
      await exampleZip(EXAMPLES.iris, {
        'model.py': modelPy,
        'coefficients/model.json': JSON.stringify(coefficients),
      }),
    );
    expect(second.image.digest).not.toBe(first.image.digest);
    expect(pushedLayers(second.log)).toBe(1);
    expect(second.image.upload).toMatchObject({ layers: layers.length, pushedLayers: 1 });
    // The coefficients layer: model.json and its folder, a few kB compressed.
    expect(second.image.upload?.pushedBytes).toBeLessThan(100_000);
    process.stdout.write(
      `iris image: first ${report(first)}; coefficients-only ${report(second)}\n`,
    );
  });

  // Runs a command in an image (host network, as its own user) and answers its output.
  async function runIn(image: string, cmd: string[]): Promise<string> {
    const container = await docker.createContainer({
      Image: image,
      Cmd: cmd,
      // A TTY: the logs come as written, not in Docker's multiplexed frames.
      Tty: true,
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      await container.start();
      const { StatusCode } = await container.wait();
      // String(): dockerode parses an output that looks like JSON ("10001") as JSON.
      const output = String(await container.logs({ stdout: true, stderr: true })).trim();
      if (StatusCode !== 0) throw new Error(`${cmd.join(' ')} exited ${StatusCode}: ${output}`);
      return output;
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  }

  it('installs python wheels offline as uid 10001, root-owned in the image', async () => {
    const manifest = 'name: iris\nruntime: python\nentry: model.py\ncodeVersion: 1.1.0\n';
    const { image, log } = await buildTimed(
      await exampleZip(EXAMPLES.iris, {
        'ml-run.yaml': manifest,
        'requirements.txt': 'six==1.16.0\n',
        'model.py': `import six\n${await readFile(path.join(EXAMPLES.iris, 'model.py'), 'utf8')}`,
      }),
    );
    expect(log).toContainEqual(
      expect.stringMatching(/^\$ docker build --network host --tag ml-run-deps\/iris:/),
    );
    expect(log).toContainEqual(expect.stringMatching(/^\$ docker build --network none --tag /));
    expect(
      await runIn(image.reference, ['stat', '-c', '%u %a', '/opt/ml-run/deps/six.py']),
    ).toMatch(/^0 6[0-9][0-9]/);
    expect(
      await runIn(image.reference, ['python3', '-c', 'import os, six; print(os.getuid())']),
    ).toBe('10001');
    expect(await predictInContainer(docker, image.reference)).toMatchObject({ class: 'setosa' });
  }, 600_000);

  it('runs no npm script of the bundle in the image build, and still installs its packages', async () => {
    const marker = '/home/mlrun/preinstall-ran';
    const { image, version } = await buildTimed(
      await exampleZip(EXAMPLES.echo, {
        'package.json': JSON.stringify({
          name: 'echo-model',
          version: '1.0.0',
          scripts: { preinstall: `node -e "require('fs').writeFileSync('${marker}', 'ran')"` },
          dependencies: { 'left-pad': '1.3.0' },
        }),
      }),
      'echo',
    );
    const fetchImage = `ml-run-deps/echo:${version.replace('+', '_')}`;
    // The fetch image is where a script would have run: no marker there, nor in the image.
    for (const where of [fetchImage, image.reference]) {
      expect(await runIn(where, ['sh', '-c', `test -e ${marker} && echo ran || echo none`])).toBe(
        'none',
      );
    }
    expect(
      await runIn(image.reference, [
        'stat',
        '-c',
        '%u',
        '/opt/ml-run/model/node_modules/left-pad/index.js',
      ]),
    ).toBe('0');
  }, 600_000);
});
