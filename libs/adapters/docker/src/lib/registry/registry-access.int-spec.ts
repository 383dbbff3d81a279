import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';

import { registryUnderTest } from '@ml-run/process-testing';

import { DockerImages } from '../docker-images';
import { followDockerStream } from '../docker-progress';
import { dockerOf } from '../docker.config';
import { DockerErrorCode } from '../docker.errors';
import { authConfigOf, registryRequest, type RegistryCredential } from './registry-access';

// The registry of tools/services/registry: TLS with its own CA, htpasswd users for push
// and pull. Every attack here is first shown working with the credential it lacks.
const STATE = process.env['MLRUN_SERVICES_DIR'] ?? path.join(os.homedir(), '.ml-run/services');
const DOCKER_HOST = process.env['MLRUN_DOCKER_HOST'] ?? `unix://${STATE}/docker/docker.sock`;
const REGISTRY = registryUnderTest();
const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

function contextOf(content: string): NodeJS.ReadableStream {
  const tar = pack();
  tar.entry({ name: 'Dockerfile' }, 'FROM scratch\nCOPY file.txt /file.txt\n');
  tar.entry({ name: 'file.txt', mtime: new Date(0) }, content);
  tar.finalize();
  return tar as unknown as NodeJS.ReadableStream;
}

// A pull through the engine; the outcome's error is Docker's reason for refusing.
async function pull(docker: Docker, reference: string, credential?: RegistryCredential) {
  const authconfig = authConfigOf(REGISTRY.address, credential);
  try {
    return await followDockerStream(await docker.pull(reference, { authconfig }), () => undefined);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// What a client without TLS gets: no HTTP answer at all (the registry speaks only TLS).
function plainHttpStatus(): Promise<number | string> {
  return new Promise((resolve) => {
    const request = httpRequest(`http://${REGISTRY.address}/v2/`, { timeout: 5000 }, (r) => {
      r.resume();
      resolve(r.statusCode ?? 0);
    });
    request.on('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? 'error'));
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.end();
  });
}

describe('the image registry requires a credential', () => {
  const docker = dockerOf({ MLRUN_DOCKER_HOST: DOCKER_HOST });
  if (!docker) throw new Error('no docker host');
  const run = randomBytes(4).toString('hex');
  const repository = `ml-run-test/guarded-${run}`;
  const tag = `${REGISTRY.address}/${repository}:v1`;
  const pusher = new DockerImages(docker, REGISTRY);
  const anonymous = new DockerImages(docker);
  const wrongPassword = new DockerImages(docker, {
    ...REGISTRY,
    push: { username: REGISTRY.push.username, password: `${REGISTRY.push.password}x` },
  });
  const manifestOf = (credential?: RegistryCredential) =>
    registryRequest(REGISTRY, `/v2/${repository}/manifests/v1`, {
      credential,
      headers: { accept: MANIFEST },
    });
  let digest = '';

  beforeAll(async () => {
    await pusher.build(contextOf(`first ${run}\n`), tag);
  });
  afterAll(async () => {
    for (const name of [tag, `${tag}-poison`]) {
      await docker
        .getImage(name)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  it('answers only over TLS with its own CA, and only with a credential', async () => {
    expect(await plainHttpStatus()).not.toBe(200);
    expect((await registryRequest(REGISTRY, '/v2/', { credential: REGISTRY.pull })).status).toBe(
      200,
    );
    const anonymousAnswer = await registryRequest(REGISTRY, '/v2/');
    expect(anonymousAnswer.status).toBe(401);
    expect(anonymousAnswer.headers['www-authenticate']).toMatch(/^Basic realm="ml-run-registry"/);
    const wrong = { username: REGISTRY.pull.username, password: 'not-the-password-at-all' };
    expect((await registryRequest(REGISTRY, '/v2/', { credential: wrong })).status).toBe(401);
    // Without our CA the certificate is not trusted: the address alone proves nothing.
    await expect(registryRequest({ address: REGISTRY.address }, '/v2/')).rejects.toThrow(
      /self[- ]signed|unable to verify|certificate/i,
    );
  });

  it('takes a push with the push credential, and refuses it anonymously or with a wrong password', async () => {
    const pushed = await pusher.push(tag);
    digest = pushed.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(pushed.upload.pushedBytes).toBeGreaterThan(0);
    expect((await manifestOf(REGISTRY.pull)).headers['docker-content-digest']).toBe(digest);

    // The attack: replace the tag with other content, without the credential.
    await anonymous.build(contextOf(`poisoned ${run}\n`), `${tag}-poison`);
    await docker
      .getImage(`${tag}-poison`)
      .tag({ repo: `${REGISTRY.address}/${repository}`, tag: 'v1' });
    for (const attacker of [anonymous, wrongPassword]) {
      await expect(attacker.push(tag)).rejects.toMatchObject({ code: DockerErrorCode.PushFailed });
    }
    expect((await manifestOf(REGISTRY.pull)).headers['docker-content-digest']).toBe(digest);
  });

  it('refuses a manifest written straight to its HTTP API without a credential', async () => {
    const { body } = await manifestOf(REGISTRY.pull);
    const put = (credential?: RegistryCredential) =>
      registryRequest(REGISTRY, `/v2/${repository}/manifests/poison`, {
        method: 'PUT',
        credential,
        headers: { 'content-type': MANIFEST, 'content-length': String(Buffer.byteLength(body)) },
        body,
      });
    expect((await put()).status).toBe(401);
    expect((await manifestOf(REGISTRY.pull)).status).toBe(200);
    expect(
      (
        await registryRequest(REGISTRY, `/v2/${repository}/manifests/poison`, {
          credential: REGISTRY.pull,
        })
      ).status,
    ).toBe(404);
    // Positive control: the same request with the push credential is taken.
    expect((await put(REGISTRY.push)).status).toBe(201);
  });

  it('gives an image to the engine with the pull credential, and to no one without', async () => {
    const reference = `${REGISTRY.address}/${repository}@${digest}`;
    // Gone from the engine (every name of it), so only a pull can bring it back.
    const { Id } = await docker.getImage(reference).inspect();
    await docker.getImage(Id).remove({ force: true });
    expect(await pusher.has(reference)).toBe(false);

    expect((await pull(docker, reference)).error).toBeDefined();
    expect(await pusher.has(reference)).toBe(false);
    expect((await manifestOf()).status).toBe(401);

    expect((await pull(docker, reference, REGISTRY.pull)).error).toBeUndefined();
    expect(await pusher.has(reference)).toBe(true);
  });

  // htpasswd has no per-user rights (docs/security.md): the roles are split for rotation
  // and blame only. This records that; a registry that enforces roles would fail it.
  it('lets the pull credential push too: distribution enforces no role', async () => {
    const { body } = await manifestOf(REGISTRY.pull);
    const answer = await registryRequest(REGISTRY, `/v2/${repository}/manifests/by-puller`, {
      method: 'PUT',
      credential: REGISTRY.pull,
      headers: { 'content-type': MANIFEST, 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    expect(answer.status).toBe(201);
  });
});
