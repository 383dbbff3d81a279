import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';

import { readManifestFile } from '@ml-run/model-contract';
import {
  LDAP_USERS,
  login,
  registryUnderTest,
  REPO_ROOT,
  startClusterPlane,
  type ClusterPlane,
} from '@ml-run/process-testing';

import { zipModel } from './support/bundles';
import { PlatformClient } from './support/platform-client';
import { eventually } from './support/real-components';
import { steadyLoad } from './support/steady-load';

const IRIS = path.join(REPO_ROOT, 'examples/iris-python');
const IRIS_R = path.join(REPO_ROOT, 'examples/iris-r');
const SETOSA = JSON.stringify({ features: [5.1, 3.5, 1.4, 0.2] });
const STATE = process.env['MLRUN_SERVICES_DIR'] ?? path.join(os.homedir(), '.ml-run/services');
const CLI = path.join(REPO_ROOT, 'dist/apps/cli/main.js');
// TLS + htpasswd: the builder pushes with the push credential and hands Swarm the pull one.
// On this one node the image is already there, so Swarm never pulls it (a digest found
// locally is not pulled); swarm-deployer.int-spec.ts proves the pull with a removed image.
const REGISTRY = registryUnderTest();
// A run takes minutes; a test namespace's service older than this was left by a dead run.
const STALE_AFTER_MS = 30 * 60_000;

type Deployment = {
  version: string;
  state: string;
  replicas: number;
  replicaStatus: unknown[];
  limits?: unknown;
};

// The paper's pipeline for real: zip → image in the registry → Swarm service → router.
describe('swarm target: images in the registry, replicas as Swarm services', () => {
  let plane: ClusterPlane;
  let alice: PlatformClient;
  const docker = new Docker({ socketPath: `${STATE}/docker/docker.sock` });
  // This run's own installation on the Swarm: runs from other worktrees share the engine,
  // and each must see (and remove) only its own services.
  const namespace = `e2e-swarm-${randomBytes(4).toString('hex')}`;
  const modelServices = (model: string, ...labels: string[]) =>
    docker.listServices({
      filters: { label: [`run.ml.name=${model}`, 'run.ml.managed=true', ...labels] },
    });
  const irisServices = (...labels: string[]) => modelServices('iris', ...labels);
  // Versions of this suite's model that run as Swarm services, by their labels.
  const swarmServices = () => irisServices(`run.ml.namespace=${namespace}`);
  const swarmVersions = async () =>
    (await swarmServices()).map((service) => service.Spec?.Labels?.['run.ml.version']);
  // Swarm services outlive builders: none may be left after this run.
  const removeServices = async () => {
    const ours = [
      ...(await swarmServices()),
      ...(await modelServices('iris-r', `run.ml.namespace=${namespace}`)),
    ];
    for (const service of ours) await docker.getService(service.ID).remove();
  };
  // Nor from an earlier run that died: test namespaces' services older than any run lasts.
  const removeStaleServices = async () => {
    const staleBefore = Date.now() - STALE_AFTER_MS;
    for (const service of await irisServices()) {
      const owner = service.Spec?.Labels?.['run.ml.namespace'] ?? '';
      if (!owner.startsWith('e2e-') || Date.parse(service.CreatedAt ?? '') > staleBefore) continue;
      await docker
        .getService(service.ID)
        .remove()
        .catch(() => undefined);
    }
  };

  let firstVersion = '';
  const built = async (zip: string | Buffer) => {
    const upload = await alice.upload(zip);
    expect(upload.status).toBeLessThan(300);
    const build = await alice.buildFinished(String(upload.body['buildId']), 120_000);
    return { version: String(upload.body['version']), build };
  };
  const deploy = (version: string, replicas: number) => alice.deploy('iris', version, replicas);
  const deployments = async () =>
    ((await alice.model('iris')).body['deployments'] ?? []) as Deployment[];

  beforeAll(async () => {
    await removeStaleServices();
    const tagOf = (script: string) =>
      execFileSync(path.join(REPO_ROOT, 'tools/images', script), ['--print-tag'])
        .toString()
        .trim();
    plane = await startClusterPlane(
      { MLRUN_DRAIN_SECONDS: '1', MLRUN_REGISTRY_NAMESPACE: namespace },
      {
        dockerHost: `unix://${STATE}/docker/docker.sock`,
        baseImage: tagOf('build-base.sh'),
        baseImageR: tagOf('build-base-r.sh'),
        registry: REGISTRY,
      },
    );
    const { access_token } = await login(
      plane.issuerUrl,
      LDAP_USERS.publisher.username,
      LDAP_USERS.publisher.password,
    );
    alice = new PlatformClient(plane, access_token);
  });
  afterAll(async () => {
    await plane?.stop();
    await removeServices();
  });

  // The user's way in: the CLI pushes and deploys; the rest of the suite speaks HTTP.
  it('ml-run push --target swarm --replicas 3: an image in the registry, 3 replicas, predictions through the router', async () => {
    const env = {
      ...(process.env as Record<string, string>),
      MLRUN_URL: plane.builderUrl,
      MLRUN_ROUTER_URL: plane.routerUrl,
      MLRUN_AUTH_URL: plane.issuerUrl,
      MLRUN_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'mlrun-swarm-cli-')),
      MLRUN_PASSWORD: LDAP_USERS.publisher.password,
    };
    const mlRun = (...args: string[]) =>
      promisify(execFile)(process.execPath, [CLI, ...args], { env, timeout: 180_000 });
    await mlRun('login', '-u', LDAP_USERS.publisher.username);
    const push = await mlRun('push', IRIS, '--deploy', '--target', 'swarm', '--replicas', '3');
    expect(push.stdout).toMatch(/alias stable (now )?points at \d+\.\d+\.\d+\+[0-9a-f]{12}/);

    const versions = (await alice.model('iris')).body['versions'] as {
      version: string;
      image?: { reference: string; upload?: { pushedLayers: number } };
    }[];
    firstVersion = versions[0]?.version ?? '';
    expect(versions[0]?.image?.reference).toMatch(
      new RegExp(`^${REGISTRY.address.replaceAll('.', '\\.')}/ml-run/iris@sha256:`),
    );
    expect(await deployments()).toEqual([
      expect.objectContaining({ version: firstVersion, state: 'ready', replicas: 3 }),
    ]);
    // The manifest's resources (examples/iris-python), enforced by the engine, and the pids cap.
    expect((await deployments())[0]?.limits).toEqual({
      cpu: '500m',
      memoryBytes: 256 * 2 ** 20,
      pids: 512,
      notEnforced: [],
    });
    expect(await swarmVersions()).toEqual([firstVersion]);
    expect((await alice.predictWhenRouted('iris', SETOSA)).body).toMatchObject({ class: 'setosa' });
  });

  it('serves the R twin (examples/iris-r) from an image FROM the R base, with the same answers', async () => {
    const { version, build } = await built(await zipModel(IRIS_R));
    // The whole record: on failure, its error says which step and why.
    expect(build).toEqual({ ...build, state: 'succeeded' });
    const deployed = await alice.deploy('iris-r', version, 1);
    expect(deployed).toMatchObject({ status: 200, body: { state: 'ready', replicas: 1 } });
    const r = await alice.predictWhenRouted('iris-r', SETOSA);
    // The python model's own answer, as its manifest's selfTest states it.
    const python = await readManifestFile(IRIS);
    const expected = JSON.parse(python.selfTest?.expectOutput ?? 'null') as unknown;
    expect(r).toEqual(expect.objectContaining({ status: 200, body: expected }));
    expect((await alice.undeploy('iris-r', version, true)).status).toBeLessThan(300);
  });

  it("apt-installs an R model's r.packages from Debian into its image", async () => {
    const manifest = (await readFile(path.join(IRIS_R, 'ml-run.yaml'), 'utf8'))
      .replace('codeVersion: 1.0.0', 'codeVersion: 1.0.1')
      .replace('packages: [r-cran-jsonlite]', 'packages: [r-cran-jsonlite, digest]');
    const model = `${await readFile(path.join(IRIS_R, 'model.R'), 'utf8')}\nstopifnot(requireNamespace("digest", quietly = TRUE))\n`;
    const { version, build } = await built(
      await zipModel(IRIS_R, { 'ml-run.yaml': manifest, 'model.R': model }),
    );
    expect(build).toEqual({ ...build, state: 'succeeded' });
    expect(JSON.stringify(build)).toContain('R packages from Debian: r-cran-digest');
    const deployed = await alice.deploy('iris-r', version, 1);
    expect(deployed).toMatchObject({ status: 200, body: { state: 'ready', replicas: 1 } });
    expect((await alice.undeploy('iris-r', version, true)).status).toBeLessThan(300);
  });

  it('scales to 1 and back to 3', async () => {
    const [current] = await deployments();
    const version = current?.version ?? '';
    expect(await deploy(version, 1)).toMatchObject({ status: 200, body: { replicas: 1 } });
    expect((await alice.predict('iris', SETOSA)).status).toBe(200);
    expect(await deploy(version, 3)).toMatchObject({ status: 200, body: { replicas: 3 } });
    expect((await alice.predict('iris', SETOSA)).status).toBe(200);
  });

  it('rolls to new coefficients under steady load with zero failed requests', async () => {
    const coefficients = JSON.parse(
      await readFile(path.join(IRIS, 'coefficients/model.json'), 'utf8'),
    );
    coefficients.trainedOn = 'retrained for the swarm test';
    const { version: v2 } = await built(
      await zipModel(IRIS, { 'coefficients/model.json': JSON.stringify(coefficients) }),
    );
    const load = steadyLoad(() => alice.predict('iris', SETOSA));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rollout = await deploy(v2, 2);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const statuses = await load.stop();
    expect(rollout.status).toBe(200);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(50);
    expect((await deployments()).map((d) => d.version)).toEqual([v2]);
  });

  it('keeps the running version serving when a build fails, and reports the build log', async () => {
    // A new codeVersion: other code under the same version would be refused (VERSION_CONFLICT).
    const manifest = (await readFile(path.join(IRIS, 'ml-run.yaml'), 'utf8')).replace(
      'codeVersion: 1.0.0',
      'codeVersion: 1.0.1',
    );
    const { build } = await built(
      await zipModel(IRIS, {
        'ml-run.yaml': manifest,
        'requirements.txt': 'no-such-package-for-ml-run==0.0.1\n',
      }),
    );
    expect(build).toMatchObject({ state: 'failed' });
    expect(JSON.stringify(build)).toMatch(/no-such-package-for-ml-run/);
    expect((await alice.predict('iris', SETOSA)).status).toBe(200);
  });

  it('refuses to undeploy the version stable routes to, which keeps serving', async () => {
    const [current] = await deployments();
    expect(await swarmVersions()).toEqual([current?.version]);
    expect(await alice.undeploy('iris', current?.version ?? '')).toMatchObject({
      status: 409,
      body: { code: 'DEPLOYMENT_IN_USE' },
    });
    expect((await alice.predict('iris', SETOSA)).status).toBe(200);
  });

  it('runs an earlier version as a canary, then undeploys it through the API', async () => {
    const [current] = await deployments();
    const stable = current?.version ?? '';
    // A split is the operator's: deploying the canary does not move stable to it.
    const split = {
      versions: [
        { version: stable, weight: 90 },
        { version: firstVersion, weight: 10 },
      ],
    };
    expect((await alice.setAlias('iris', 'stable', split)).status).toBe(200);
    expect(await deploy(firstVersion, 1)).toMatchObject({ status: 200, body: { state: 'ready' } });
    expect((await swarmVersions()).sort()).toEqual([stable, firstVersion].sort());
    expect((await alice.predictWhenRouted('iris', SETOSA, firstVersion)).status).toBe(200);

    const load = steadyLoad(() => alice.predict('iris', SETOSA));
    expect((await alice.setAlias('iris', 'stable', { version: stable })).status).toBe(200);
    const undeployed = await alice.undeploy('iris', firstVersion);
    const statuses = await load.stop();
    expect(undeployed.status).toBeLessThan(300);
    expect(await swarmVersions()).toEqual([stable]);
    expect((await deployments()).map((d) => d.version)).toEqual([stable]);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // Routers hear of the removal through Kafka: the version is gone within moments.
    await eventually(
      () => alice.predict('iris', SETOSA, firstVersion).then((r) => r.status),
      (status) => status === 404,
      10_000,
    );
  });
});
