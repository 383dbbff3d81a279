import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { kubernetesUnderTest, login, registryUnderTest, REPO_ROOT } from '@ml-run/process-testing';

import { zipModel } from './support/bundles';
import { ClusterInstall, type KubernetesObject } from './support/cluster-install';
import { PlatformClient } from './support/platform-client';

// The whole set installed on the local cluster (tools/services/kubernetes) as README.md in
// deploy/openshift tells an operator to: the platform's Ignite and the models' Ignite
// (ml-run-ignite twice), Kafka (ml-run-kafka, one broker) and the control plane, each
// rendered by @ml-run/openshift's processor and server-side applied. Fresh namespaces, all
// PodSecurity restricted but the builder's (privileged: the documented exception, its
// Docker engine socket). Then the golden path runs against the pods: log in as admin,
// upload examples/iris-python, build, deploy on the openshift target, predict through the
// router, and a request without a token is refused.

const exec = promisify(execFile);
const run = randomBytes(3).toString('hex');
const NS = {
  main: `mlrun-e2e-${run}`,
  builder: `mlrun-e2e-${run}-builder`,
  models: `mlrun-e2e-${run}-models`,
};
const IRIS = path.join(REPO_ROOT, 'examples/iris-python');
const SETOSA = JSON.stringify({ features: [5.1, 3.5, 1.4, 0.2] });
const PULL_SECRET = 'ml-run-registry-pull';
const STORAGE = '1Gi';
const BUILDER_STORAGE = '2Gi';
// Generous: JVMs and four Node apps start on a loaded 2-core machine.
const ROLLOUT_MS = 12 * 60_000;

jest.setTimeout(30 * 60_000);

/** The images of tools/images/build-platform.sh, built (or found) and pushed. */
async function platformImages(): Promise<{ platform: string; jvm: string; base: string }> {
  const script = (name: string) => path.join(REPO_ROOT, 'tools/images', name);
  const { stdout } = await exec(script('build-platform.sh'), ['--push'], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const value = (key: string) => {
    const line = stdout.split('\n').find((l) => l.startsWith(`${key}=`));
    if (!line) throw new Error(`build-platform.sh printed no ${key}: ${stdout}`);
    return line.slice(key.length + 1);
  };
  const base = (await exec(script('build-base.sh'), ['--print-tag'])).stdout.trim();
  return { platform: value('MLRUN_PLATFORM_IMAGE'), jvm: value('MLRUN_JVM_IMAGE'), base };
}

/**
 * `oc process -f deploy/openshift/<file> ...` done by the built CLI (`ml-run template
 * process`, @ml-run/openshift's processor): the List's objects. Credentials go in a
 * parameter file (0600), not on a command line others can read in ps.
 */
async function rendered(
  file: string,
  parameters: Record<string, string>,
  credentials: Record<string, string> = {},
): Promise<KubernetesObject[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mlrun-e2e-params-'));
  try {
    const paramFile = path.join(dir, 'credentials.env');
    const lines = Object.entries(credentials).map(([k, v]) => `${k}=${v}\n`);
    await writeFile(paramFile, lines.join(''), { mode: 0o600 });
    const { stdout } = await exec(
      process.execPath,
      [
        path.join(REPO_ROOT, 'dist/apps/cli/main.js'),
        'template',
        'process',
        '-f',
        path.join(REPO_ROOT, 'deploy/openshift', file),
        '--param-file',
        paramFile,
        ...Object.entries(parameters).flatMap(([k, v]) => ['-p', `${k}=${v}`]),
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    return (JSON.parse(stdout) as { items: KubernetesObject[] }).items;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const secret = () => randomBytes(20).toString('hex');

describe('the OpenShift templates installed on the local cluster', () => {
  const cluster = kubernetesUnderTest();
  const registry = registryUnderTest();
  const install = new ClusterInstall(cluster.kubeconfigPath, `mlrun-e2e-${run}`);
  const adminPassword = secret();
  let volumeDir = '';
  let sut: PlatformClient;
  let issuerUrl = '';
  let routerUrl = '';
  let builderUrl = '';
  let version = '';

  beforeAll(async () => {
    const images = await platformImages();
    volumeDir = await mkdtemp(path.join(os.tmpdir(), 'mlrun-e2e-volumes-'));
    await install.namespace(NS.main, 'restricted');
    await install.namespace(NS.builder, 'privileged');
    await install.namespace(NS.models, 'restricted');

    // The cluster's containerd pulls from the registry only with credentials: the pull
    // Secret the templates' pods name (PLATFORM_PULL_SECRET, PULL_SECRET), as README.md has
    // an operator create it. The builder writes the models' own.
    const auth = Buffer.from(`${registry.pull.username}:${registry.pull.password}`).toString(
      'base64',
    );
    const pullSecret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: PULL_SECRET },
      type: 'kubernetes.io/dockerconfigjson',
      stringData: {
        '.dockerconfigjson': JSON.stringify({ auths: { [registry.address]: { auth } } }),
      },
    } as KubernetesObject;
    for (const namespace of [NS.main, NS.builder]) await install.apply([pullSecret], namespace);

    await install.hostPathVolumes(volumeDir, [
      { namespace: NS.main, claim: 'data-ml-run-ignite-0', size: STORAGE },
      { namespace: NS.main, claim: 'data-ml-run-model-ignite-0', size: STORAGE },
      { namespace: NS.main, claim: 'data-ml-run-kafka-0', size: STORAGE },
      { namespace: NS.builder, claim: 'ml-run-builder-data', size: BUILDER_STORAGE },
    ]);

    const socket = path.join(
      process.env['MLRUN_SERVICES_DIR'] ?? path.join(os.homedir(), '.ml-run/services'),
      'docker/docker.sock',
    );
    const controlPlane = await rendered(
      'ml-run-control-plane.yaml',
      {
        NAMESPACE: NS.main,
        BUILDER_NAMESPACE: NS.builder,
        MODELS_NAMESPACE: NS.models,
        INSTALLATION: `e2e-${run}`,
        PLATFORM_IMAGE: images.platform,
        BASE_IMAGE: images.base,
        PLATFORM_IGNITE_ENDPOINTS: `ml-run-ignite.${NS.main}.svc:10800`,
        MODEL_IGNITE_ENDPOINTS: `ml-run-model-ignite.${NS.main}.svc:10800`,
        KAFKA_BROKERS: `ml-run-kafka.${NS.main}.svc:9092`,
        REGISTRY: registry.address,
        REGISTRY_CA: registry.ca,
        PULL_SECRET_NAME: PULL_SECRET,
        DOCKER_SOCKET_PATH: socket,
        DOCKER_SOCKET_GID: String((await stat(socket)).gid),
        BUILDER_STORAGE_SIZE: BUILDER_STORAGE,
      },
      {
        ADMIN_PASSWORD: adminPassword,
        REGISTRY_PUSH_PASSWORD: registry.push.password,
        REGISTRY_PULL_PASSWORD: registry.pull.password,
      },
    );
    const jvm = { IMAGE: images.jvm, STORAGE_SIZE: STORAGE, PULL_SECRET };
    const started = Date.now();
    // The control plane's Secrets first (Ignite and Kafka read their passwords from them),
    // then Ignite twice and Kafka, and the apps once those answer: applied all at once,
    // the apps would crash-loop on their missing stores and back off for minutes.
    await install.apply(
      controlPlane.filter((o) => o.kind === 'Secret'),
      NS.main,
    );
    await install.apply(
      await rendered('ml-run-ignite.yaml', {
        ...jvm,
        NAME: 'ml-run-ignite',
        PASSWORD_SECRET: 'ml-run-platform-ignite',
      }),
      NS.main,
    );
    await install.apply(
      await rendered('ml-run-ignite.yaml', {
        ...jvm,
        NAME: 'ml-run-model-ignite',
        AUTHENTICATION: 'false',
      }),
      NS.main,
    );
    await install.apply(
      await rendered('ml-run-kafka.yaml', { ...jvm, CREDENTIALS_SECRET: 'ml-run-kafka' }),
      NS.main,
    );
    await install.waitForRollouts(NS.main, ROLLOUT_MS, 'StatefulSet');
    const storesReady = Date.now();
    await install.apply(controlPlane, NS.main);
    await install.waitForRollouts(NS.main, ROLLOUT_MS);
    await install.waitForRollouts(NS.builder, ROLLOUT_MS);
    const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
    process.stdout.write(
      `openshift-install: Ignite x2 and Kafka ready in ${((storesReady - started) / 1000).toFixed(1)} s, ` +
        `the control plane ${seconds(storesReady)} s later, ${seconds(started)} s in all\n`,
    );

    issuerUrl = await install.serviceUrl(NS.main, 'ml-run-auth-issuer', 'http');
    routerUrl = await install.serviceUrl(NS.main, 'ml-run-router', 'http');
    builderUrl = await install.serviceUrl(NS.builder, 'ml-run-builder', 'http');
    const { access_token } = await login(issuerUrl, 'admin', adminPassword);
    sut = new PlatformClient({ builderUrl, routerUrl, deployTarget: 'openshift' }, access_token);
  });

  afterAll(async () => {
    try {
      await install.cleanUp();
    } finally {
      if (volumeDir) await rm(volumeDir, { recursive: true, force: true });
    }
  });

  it('refuses a wrong admin password and a request without a token', async () => {
    await expect(login(issuerUrl, 'admin', `${adminPassword}x`)).rejects.toThrow(
      /: 400 .*INVALID_CREDENTIALS/,
    );
    const anonymous = await fetch(`${routerUrl}/v1/models/iris/predict`, {
      method: 'POST',
      body: SETOSA,
    });
    expect(anonymous.status).toBe(401);
  });

  it('uploads examples/iris-python and builds it with the host Docker engine', async () => {
    const upload = await sut.upload(await zipModel(IRIS));
    expect(upload).toMatchObject({ status: 201, body: { name: 'iris', created: true } });
    version = String(upload.body['version']);
    expect(await sut.buildFinished(String(upload.body['buildId']), 15 * 60_000)).toMatchObject({
      state: 'succeeded',
    });
  });

  it('deploys it on the openshift target and predicts through the router, only with a token', async () => {
    const deployment = await sut.deploy('iris', version, 1);
    expect(deployment).toMatchObject({ status: 200, body: { state: 'ready', replicas: 1 } });
    const res = await sut.predictWhenRouted('iris', SETOSA, undefined, 60_000);
    expect(res).toMatchObject({ status: 200, body: { class: 'setosa' } });
    const anonymous = await fetch(`${routerUrl}/v1/models/iris/predict`, {
      method: 'POST',
      body: SETOSA,
    });
    expect(anonymous.status).toBe(401);
  });

  // The template's builder serves the console and reaches the issuer and the router by
  // their Services (MLRUN_ISSUER_URL, MLRUN_ROUTER_URL): one origin for the browser.
  it('serves the console from the builder, signing in and predicting through it', async () => {
    const page = await fetch(`${builderUrl}/console/models`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>ML-RUN console</title>');

    const signIn = await fetch(`${builderUrl}/console/api/issuer/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', username: 'admin', password: adminPassword }),
    });
    expect(signIn.status).toBe(200);
    const { access_token } = (await signIn.json()) as { access_token: string };
    const predict = await fetch(
      `${builderUrl}/console/api/router/v1/models/iris/versions/${version}/predict`,
      { method: 'POST', headers: { authorization: `Bearer ${access_token}` }, body: SETOSA },
    );
    expect({ status: predict.status, body: await predict.json() }).toMatchObject({
      status: 200,
      body: { class: 'setosa' },
    });
  });
});
