import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { pack } from 'tar-stream';

import { registryUnderTest } from '@ml-run/process-testing';

import { DockerImages } from './docker-images';
import { dockerOf } from './docker.config';
import { DockerError, DockerErrorCode } from './docker.errors';
import { registryRequest } from './registry/registry-access';

// Against the engine and registry of tools/services/docker and tools/services/registry.
const STATE = process.env['MLRUN_SERVICES_DIR'] ?? path.join(os.homedir(), '.ml-run/services');
const DOCKER_HOST = process.env['MLRUN_DOCKER_HOST'] ?? `unix://${STATE}/docker/docker.sock`;
const ACCESS = registryUnderTest();
const REGISTRY = ACCESS.address;
const ROOT = path.resolve(__dirname, '../../../../..');

function contextOf(files: Record<string, string>): NodeJS.ReadableStream {
  const tar = pack();
  for (const [name, content] of Object.entries(files))
    tar.entry({ name, mtime: new Date(0) }, content);
  tar.finalize();
  return tar as unknown as NodeJS.ReadableStream;
}

async function registryDigest(repository: string, tag: string): Promise<string | null> {
  const answer = await registryRequest(ACCESS, `/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    credential: ACCESS.pull,
    headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  return answer.headers['docker-content-digest'] ?? null;
}

describe(DockerImages.name, () => {
  const docker = dockerOf({ MLRUN_DOCKER_HOST: DOCKER_HOST });
  if (!docker) throw new Error('no docker host');
  const sut = new DockerImages(docker, ACCESS);
  const run = randomBytes(4).toString('hex');
  const repository = `ml-run-test/hello-${run}`;
  const tag = `${REGISTRY}/${repository}:v1`;

  afterAll(async () => {
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('builds from a context tar, streaming Docker output, then pushes and answers the digest', async () => {
    const lines: string[] = [];
    const built = await sut.build(
      contextOf({
        Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\nLABEL run.ml.test="1"\n',
        'hello.txt': `hello ${run}\n`,
      }),
      tag,
      (line) => lines.push(line),
    );
    expect(built.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lines.some((line) => line.startsWith('Step 1/3 : FROM scratch'))).toBe(true);
    expect(await sut.has(tag)).toBe(true);

    const pushed = await sut.push(tag);
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(pushed.reference).toBe(`${REGISTRY}/${repository}@${pushed.digest}`);
    expect(await registryDigest(repository, 'v1')).toBe(pushed.digest);
    // One layer (hello.txt), uploaded: its compressed bytes are the whole image.
    expect(pushed.upload).toMatchObject({ layers: 1, pushedLayers: 1 });
    expect(pushed.upload.pushedBytes).toBeGreaterThan(0);
    expect(pushed.upload.imageBytes).toBe(pushed.upload.pushedBytes);

    const again = await sut.push(tag);
    expect(again.digest).toBe(pushed.digest);
    expect(again.upload).toEqual({
      layers: 1,
      pushedLayers: 0,
      pushedBytes: 0,
      imageBytes: pushed.upload.imageBytes,
    });
  });

  it("refuses a broken build with Docker's reason and the tail of its log", async () => {
    const failed = await sut
      .build(contextOf({ Dockerfile: 'FROM scratch\nCOPY missing.txt /\n' }), `${tag}-broken`)
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(DockerError);
    expect(failed).toMatchObject({ code: DockerErrorCode.BuildFailed });
    expect((failed as DockerError).message).toMatch(/missing\.txt/);
    expect((failed as DockerError).log.some((line) => line.includes('COPY missing.txt'))).toBe(
      true,
    );
  });

  it('cancels a build under way: the engine stops it and tags nothing', async () => {
    const base = execFileSync(path.join(ROOT, 'tools/images/build-base.sh'), ['--print-tag'])
      .toString()
      .trim();
    const marker = `sleep 3${run.slice(0, 2).replace(/\D/g, '1')}`;
    const cancel = new AbortController();
    const lines: string[] = [];
    const building = sut
      .build(
        contextOf({ Dockerfile: `FROM ${base}\nRUN ${marker}\n` }),
        `${tag}-cancelled`,
        (line) => {
          lines.push(line);
          if (line.includes('Running in')) cancel.abort(new Error('builder shutting down'));
        },
        cancel.signal,
      )
      .catch((error: unknown) => error);

    const started = Date.now();
    const outcome = await building;
    expect(outcome).toMatchObject({ message: 'builder shutting down' });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await sut.has(`${tag}-cancelled`)).toBe(false);
    // The engine removes the step's container once it sees the request closed.
    const deadline = Date.now() + 15_000;
    const running = async () =>
      (await docker.listContainers()).filter((c) => c.Command.includes(marker));
    while ((await running()).length > 0) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 60_000);

  it('says the engine cannot be reached when the socket is not there', async () => {
    const nowhere = new DockerImages(
      dockerOf({ MLRUN_DOCKER_HOST: 'unix:///nonexistent/docker.sock' }) ?? docker,
    );
    await expect(nowhere.has('anything')).rejects.toMatchObject({
      code: DockerErrorCode.Unavailable,
    });
  });
});
