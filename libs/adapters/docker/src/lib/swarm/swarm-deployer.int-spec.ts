import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';

import { DeployError, DeployErrorCode, type DeploymentSpec } from '@ml-run/deployer';
import { registryUnderTest } from '@ml-run/process-testing';
import type { DeploymentRecord } from '@ml-run/registry-contract';

import { pushedIrisImage } from '../../testing/iris-image';
import { DockerImages } from '../docker-images';
import { dockerOf } from '../docker.config';
import { authConfigOf } from '../registry/registry-access';
import { SwarmDeployer } from './swarm-deployer';
import { serviceNameOf, serviceSpecOf, SWARM_LABELS } from './swarm-service-spec';
import { SwarmServices } from './swarm-services';

// Against the engine and registry of tools/services/docker and tools/services/registry.
const STATE = process.env['MLRUN_SERVICES_DIR'] ?? path.join(os.homedir(), '.ml-run/services');
const DOCKER_HOST = process.env['MLRUN_DOCKER_HOST'] ?? `unix://${STATE}/docker/docker.sock`;
// TLS + auth (tools/services/registry): pushed with the push credential, pulled by Swarm
// with the pull one.
const ACCESS = registryUnderTest();
const REGISTRY = ACCESS.address;
const SETOSA = { features: [5.1, 3.5, 1.4, 0.2] };

async function predict(url: string): Promise<unknown> {
  const response = await fetch(`${url}/v1/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(SETOSA),
  });
  return { status: response.status, body: await response.json() };
}

async function refuses(url: string): Promise<boolean> {
  return fetch(`${url}/readyz`).then(
    () => false,
    () => true,
  );
}

describe(SwarmDeployer.name, () => {
  const maybeDocker = dockerOf({ MLRUN_DOCKER_HOST: DOCKER_HOST });
  if (!maybeDocker) throw new Error('no docker host');
  const docker: Docker = maybeDocker;
  const run = randomBytes(3).toString('hex');
  const name = `swarmtest${run}`;
  // A range of its own, so a concurrent builder on this Swarm is not disturbed.
  const namespace = `swarmtest-${run}`;
  const portRange = { first: 28_000, last: 28_999 };
  const sut = new SwarmDeployer(docker, { namespace, portRange, registry: ACCESS });
  const records: DeploymentRecord[] = [];
  sut.onChange((record) => records.push(record));
  let image: string;

  const spec = (version: string, extra: Partial<DeploymentSpec> = {}): DeploymentSpec => ({
    name,
    version,
    modelDir: '/unused',
    replicas: 2,
    env: { MLRUN_AUTH_MODE: 'disabled' },
    // Generous: python replicas on a busy two-core machine start slowly; a failure ends early.
    readyTimeoutMs: 150_000,
    image,
    ...extra,
  });

  async function testServices(): Promise<Docker.Service[]> {
    const services = await docker.listServices({
      filters: { label: [`${SWARM_LABELS.name}=${name}`] },
    });
    return services;
  }

  beforeAll(async () => {
    image = await pushedIrisImage(docker, 'iris-swarm');
  });

  afterAll(async () => {
    await sut.close();
    for (const service of await testServices())
      await docker
        .getService(service.ID)
        .remove()
        .catch(() => undefined);
  });

  it('deploys 2 replicas that predict, scales to 1 and back, and undeploys', async () => {
    // Not in the engine: Swarm pulled it with the pull credential the deployer handed it.
    const images = new DockerImages(docker);
    expect(await images.has(image)).toBe(false);
    let started = Date.now();
    const record = await sut.deploy(spec('1.0.0'));
    const timing = { deploy: Date.now() - started, scaleDown: 0, scaleUp: 0, undeploy: 0 };

    expect(record).toMatchObject({ name, version: '1.0.0', target: 'swarm', state: 'ready' });
    expect(await images.has(image)).toBe(true);
    expect(record.replicaStatus).toHaveLength(2);
    for (const replica of record.replicaStatus) {
      expect(replica.state).toBe('ready');
      expect(await predict(replica.url)).toMatchObject({ status: 200, body: { class: 'setosa' } });
    }
    expect(records.map((each) => each.state)).toContain('deploying');
    expect(sut.get(name, '1.0.0')?.state).toBe('ready');

    started = Date.now();
    const one = await sut.scale(name, '1.0.0', 1);
    timing.scaleDown = Date.now() - started;
    expect(one.replicaStatus).toHaveLength(1);
    expect(one).toMatchObject({ replicas: 1, state: 'ready' });

    started = Date.now();
    const two = await sut.scale(name, '1.0.0', 2);
    timing.scaleUp = Date.now() - started;
    expect(two).toMatchObject({ replicas: 2, state: 'ready' });
    const urls = two.replicaStatus.map((replica) => replica.url);
    for (const url of urls)
      expect(await predict(url)).toMatchObject({ status: 200, body: { class: 'setosa' } });

    started = Date.now();
    await sut.undeploy(name, '1.0.0');
    timing.undeploy = Date.now() - started;
    expect(await testServices()).toHaveLength(0);
    for (const url of urls) expect(await refuses(url)).toBe(true);
    expect(records.at(-1)).toMatchObject({ state: 'removed' });
    expect(sut.get(name, '1.0.0')).toBeUndefined();
    process.stdout.write(`swarm timings ms ${JSON.stringify(timing)}\n`);
  }, 300_000);

  it('after a restart, adopts the services of its own namespace only', async () => {
    await sut.deploy(spec('2.0.0', { replicas: 1 }));
    const other = new SwarmDeployer(docker, {
      namespace: `${namespace}-other`,
      portRange,
      registry: ACCESS,
    });
    const restarted = new SwarmDeployer(docker, { namespace, portRange, registry: ACCESS });
    try {
      expect((await other.adopt()).filter((record) => record.name === name)).toEqual([]);
      // The same version in another namespace is another service, on another port block.
      const theirs = await other.deploy(spec('2.0.0', { replicas: 1 }));
      const ours = sut.get(name, '2.0.0');
      expect(theirs.replicaStatus[0]?.url).not.toBe(ours?.replicaStatus[0]?.url);

      const adopted = await restarted.adopt();
      expect(adopted.filter((record) => record.name === name)).toEqual([
        expect.objectContaining({ version: '2.0.0', replicas: 1 }),
      ]);
      expect(adopted[0]?.replicaStatus[0]?.url).toBe(ours?.replicaStatus[0]?.url);

      await restarted.undeploy(name, '2.0.0');
      expect(await refuses(ours?.replicaStatus[0]?.url ?? '')).toBe(true);
      expect(await predict(theirs.replicaStatus[0]?.url ?? '')).toMatchObject({ status: 200 });
      await other.undeploy(name, '2.0.0');
      expect(await testServices()).toHaveLength(0);
    } finally {
      await Promise.all([other.close(), restarted.close()]);
    }
  }, 400_000);

  it('settles a port block claimed by two services: the earlier one keeps it', async () => {
    const services = new SwarmServices(docker);
    // Two builders that listed the Swarm at the same moment create on the same block.
    const rival = (version: string) =>
      services.create({
        ...serviceSpecOf({ ...spec(version), image }, 28_900, namespace),
        Mode: { Replicated: { Replicas: 0 } },
      });
    const first = await rival('4.0.0');
    const second = await rival('4.0.1');
    try {
      expect((await services.earlierClaim(second, 28_900))?.ID).toBe(first);
      expect(await services.earlierClaim(first, 28_900)).toBeUndefined();
      // Blocks overlap by ports, not only by equal bases.
      expect((await services.earlierClaim(second, 28_950))?.ID).toBe(first);
      expect(await services.earlierClaim(second, 29_000)).toBeUndefined();
    } finally {
      await services.remove(second, 100);
      await services.remove(first, 100);
    }
  });

  it('pulls only with the pull credential: a service without it is rejected, no such image', async () => {
    // A tiny image of its own, pushed and then removed from the engine.
    const images = new DockerImages(docker, ACCESS);
    const tar = pack();
    tar.entry({ name: 'Dockerfile' }, 'FROM scratch\nCOPY run.txt /run.txt\n');
    tar.entry({ name: 'run.txt' }, run);
    tar.finalize();
    const tag = `${REGISTRY}/ml-run-test/pull-${run}:v1`;
    const built = await images.build(tar as unknown as NodeJS.ReadableStream, tag);
    const { reference } = await images.push(tag);
    await docker.getImage(built.imageId).remove({ force: true });
    const taskOf = async (services: SwarmServices, version: string) => {
      const serviceSpec = serviceSpecOf({ ...spec(version), image: reference }, 28_800, namespace);
      const id = await services.create({ ...serviceSpec, Mode: { Replicated: { Replicas: 1 } } });
      try {
        // Pulled (then fails to start: the image has no program) or refused the pull; a
        // busy engine may take a while to get there.
        for (const deadline = Date.now() + 75_000; Date.now() < deadline;) {
          const [task] = await services.tasks(id);
          if (task?.Status?.Err) return task.Status.Err;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        return 'no task error within 75 s';
      } finally {
        await services.remove(id, 100);
      }
    };
    try {
      expect(await taskOf(new SwarmServices(docker), '5.0.0')).toMatch(/No such image/);
      expect(await images.has(reference)).toBe(false);
      const withPull = new SwarmServices(docker, authConfigOf(REGISTRY, ACCESS.pull));
      expect(await taskOf(withPull, '5.0.1')).not.toMatch(/No such image/);
      expect(await images.has(reference)).toBe(true);
    } finally {
      await docker
        .getImage(reference)
        .remove({ force: true })
        .catch(() => undefined);
    }
  }, 240_000);

  it('fails a bad image with DEPLOYMENT_FAILED and leaves no service', async () => {
    const bad = `${REGISTRY}/ml-run-test/iris-swarm@sha256:${'0'.repeat(64)}`;
    const failed = await sut
      .deploy(spec('9.9.9-bad', { image: bad, replicas: 1, readyTimeoutMs: 20_000 }))
      .catch((error: unknown) => error);

    expect(failed).toBeInstanceOf(DeployError);
    expect(failed).toMatchObject({ code: DeployErrorCode.DeploymentFailed });
    expect(
      await docker.listServices({
        filters: { name: [serviceNameOf(namespace, name, '9.9.9-bad')] },
      }),
    ).toHaveLength(0);
  }, 60_000);

  it('fails a model whose init fails, in the model words, and leaves no service', async () => {
    const failed = await sut
      .deploy(
        spec('9.9.9-init', {
          replicas: 1,
          readyTimeoutMs: 30_000,
          env: { MLRUN_AUTH_MODE: 'disabled', MLRUN_MODEL_DIR: '/nonexistent' },
        }),
      )
      .catch((error: unknown) => error);

    expect(failed).toMatchObject({ code: DeployErrorCode.DeploymentFailed });
    process.stdout.write(`init failure: ${(failed as Error).message}\n`);
    expect(await testServices()).toHaveLength(0);
  }, 60_000);
});
