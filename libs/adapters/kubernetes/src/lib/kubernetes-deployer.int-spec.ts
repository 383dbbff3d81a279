import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';

import { DeployError, DeployErrorCode, type Deployer, type DeploymentSpec } from '@ml-run/deployer';
// The image targets share one test image; the docker adapter builds it (test-only import).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { dockerOf } from '@ml-run/docker';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { pushedIrisImage } from '@ml-run/docker/testing';
import { kubernetesUnderTest, registryUnderTest, REPO_ROOT } from '@ml-run/process-testing';
import type { DeploymentRecord } from '@ml-run/registry-contract';

import { createKubernetesDeployer } from './create-kubernetes-deployer';
import type { KubernetesDeployerOptions } from './kubernetes-deployer-options';
import { instanceNameOf } from './model-names';

// Against tools/services/kubernetes (its own containerd pulls from tools/services/registry
// with the pull credential) and the engine of tools/services/docker, which builds the image.
const CLUSTER = kubernetesUnderTest();
const ACCESS = registryUnderTest();
const STATE = process.env['MLRUN_SERVICES_DIR'] ?? path.join(os.homedir(), '.ml-run/services');
const DOCKER_HOST = process.env['MLRUN_DOCKER_HOST'] ?? `unix://${STATE}/docker/docker.sock`;
const TEMPLATE = path.join(REPO_ROOT, 'deploy/openshift/ml-run-model.yaml');
const SETOSA = { features: [5.1, 3.5, 1.4, 0.2] };

const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(CLUSTER.kubeconfigPath);
const core = kubeConfig.makeApiClient(CoreV1Api);
const apps = kubeConfig.makeApiClient(AppsV1Api);

async function predict(url: string): Promise<unknown> {
  const response = await fetch(`${url}/v1/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(SETOSA),
  });
  return { status: response.status, body: await response.json() };
}

/**
 * Predicts one request after another on the ready replicas of the newest published record
 * (round robin, as the router routes) until stopped; the failures, by URL and reason.
 */
function predictAlong(deployer: Deployer, first: DeploymentRecord) {
  let urls = first.replicaStatus.map((replica) => replica.url);
  const unsubscribe = deployer.onChange((record) => {
    if (record.name !== first.name || record.version !== first.version) return;
    urls = record.replicaStatus
      .filter((replica) => replica.state === 'ready')
      .map((replica) => replica.url);
  });
  const result = { ok: 0, failed: [] as string[] };
  let running = true;
  const loop = (async () => {
    for (let turn = 0; running; turn++) {
      const url = urls[turn % Math.max(urls.length, 1)];
      if (url === undefined) {
        result.failed.push('no ready replica');
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      const outcome = await predict(url).then(
        (answer) => ((answer as { status: number }).status === 200 ? 'ok' : JSON.stringify(answer)),
        (error: unknown) => String(error),
      );
      if (outcome === 'ok') result.ok++;
      else result.failed.push(`${url}: ${outcome}`);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      unsubscribe();
      return result;
    },
  };
}

// A namespace of the test's own, at Pod Security `restricted` (enforced).
async function restrictedNamespace(name: string): Promise<string> {
  await core.createNamespace({
    body: {
      metadata: {
        name,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    },
  });
  return name;
}

async function failureOf(deploying: Promise<DeploymentRecord>): Promise<DeployError> {
  const error = await deploying.then(
    () => new Error('deployed, but should have failed'),
    (failed: unknown) => failed,
  );
  if (!(error instanceof DeployError)) throw error;
  return error;
}

describe('KubernetesDeployer', () => {
  const run = randomBytes(3).toString('hex');
  const name = `k8stest${run}`;
  const installation = `it-${run}`;
  const namespaces: string[] = [];
  const deployers: Deployer[] = [];
  const records: DeploymentRecord[] = [];
  let image: string;
  let namespace: string;
  let sut: Deployer;

  const options = (extra: Partial<KubernetesDeployerOptions> = {}): KubernetesDeployerOptions => ({
    kubeconfigPath: CLUSTER.kubeconfigPath,
    namespace,
    installation,
    templatePath: TEMPLATE,
    pullSecret: { server: ACCESS.address, ...ACCESS.pull },
    ...extra,
  });
  const deployer = async (extra: Partial<KubernetesDeployerOptions> = {}) => {
    const created = await createKubernetesDeployer(options(extra));
    deployers.push(created);
    return created;
  };
  const spec = (version: string, extra: Partial<DeploymentSpec> = {}): DeploymentSpec => ({
    name,
    version,
    modelDir: '/unused',
    replicas: 1,
    env: { MLRUN_AUTH_MODE: 'disabled' },
    // Generous: python replicas on a busy two-core machine start slowly; a failure ends early.
    readyTimeoutMs: 180_000,
    image,
    resources: { cpu: '250m', memory: '256Mi' },
    ...extra,
  });
  const podsOf = async (ns: string, version: string) =>
    (
      await core.listNamespacedPod({
        namespace: ns,
        labelSelector: `app.kubernetes.io/instance=${instanceNameOf(installation, name, version)}`,
      })
    ).items;

  beforeAll(async () => {
    const docker = dockerOf({ MLRUN_DOCKER_HOST: DOCKER_HOST });
    if (!docker) throw new Error('no docker host');
    image = await pushedIrisImage(docker, 'iris-k8s');
    namespace = await restrictedNamespace(`mlrun-it-${run}`);
    namespaces.push(namespace);
    sut = await deployer();
    sut.onChange((record) => records.push(record));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(deployers.map((each) => each.close()));
    for (const each of namespaces)
      await core.deleteNamespace({ name: each }).catch(() => undefined);
  });

  it('deploys 3 restricted pods that predict by their pod URLs, scales, rolls new settings and undeploys', async () => {
    let started = Date.now();
    const verbose = { MLRUN_AUTH_MODE: 'disabled', MLRUN_LOG_LEVEL: 'debug' };
    const record = await sut.deploy(spec('1.0.0', { replicas: 3, env: verbose }));
    const timing = { ready3: Date.now() - started, scaleDown: 0, scaleUp: 0, roll: 0, undeploy: 0 };

    expect(record).toMatchObject({ name, version: '1.0.0', target: 'openshift', state: 'ready' });
    expect(record.replicaStatus).toHaveLength(3);
    for (const replica of record.replicaStatus) {
      expect(replica).toMatchObject({
        state: 'ready',
        url: expect.stringMatching(/^http:\/\/10\.214\./),
      });
      expect(await predict(replica.url)).toMatchObject({ status: 200, body: { class: 'setosa' } });
    }
    expect(records.map((each) => each.state)).toContain('deploying');
    // The introspection credential and the other settings are in a Secret, not the spec.
    const [deployment] = (
      await apps.listNamespacedDeployment({ namespace, labelSelector: `ml-run.io/model=${name}` })
    ).items;
    expect(JSON.stringify(deployment?.spec)).not.toContain('MLRUN_AUTH_MODE');

    started = Date.now();
    expect(await sut.scale(name, '1.0.0', 1)).toMatchObject({ replicas: 1, state: 'ready' });
    timing.scaleDown = Date.now() - started;
    started = Date.now();
    const two = await sut.scale(name, '1.0.0', 2);
    timing.scaleUp = Date.now() - started;
    expect(two).toMatchObject({ replicas: 2, state: 'ready' });
    expect(two.replicaStatus).toHaveLength(2);

    // New settings for the same version (one fewer): every pod is replaced. A caller that follows the
    // published records (as the router does) and predicts all along sees no failure.
    started = Date.now();
    const before = new Set(two.replicaStatus.map((replica) => replica.id));
    const load = predictAlong(sut, two);
    const rolled = await sut.deploy(
      spec('1.0.0', { replicas: 2, env: { MLRUN_AUTH_MODE: 'disabled' } }),
    );
    timing.roll = Date.now() - started;
    const settings = await core.readNamespacedSecret({
      namespace,
      name: `${instanceNameOf(installation, name, '1.0.0')}-env`,
    });
    expect(Object.keys(settings.data ?? {})).toEqual(['MLRUN_AUTH_MODE']);
    const { ok, failed } = await load.stop();
    process.stdout.write(`rolling update: ${ok} predictions, ${failed.length} failed\n`);
    expect(failed).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    expect(rolled).toMatchObject({ replicas: 2, state: 'ready' });
    expect(rolled.replicaStatus.filter((replica) => before.has(replica.id))).toEqual([]);
    for (const replica of rolled.replicaStatus)
      expect(await predict(replica.url)).toMatchObject({ status: 200 });

    started = Date.now();
    await sut.undeploy(name, '1.0.0');
    timing.undeploy = Date.now() - started;
    expect(await podsOf(namespace, '1.0.0')).toEqual([]);
    expect(sut.get(name, '1.0.0')).toBeUndefined();
    expect(records.at(-1)).toMatchObject({ version: '1.0.0', state: 'removed' });
    process.stdout.write(`kubernetes timings ms ${JSON.stringify(timing)}\n`);
  }, 600_000);

  it('is adopted by a second deployer of its installation, and by no other', async () => {
    const ours = await sut.deploy(spec('2.0.0'));
    const other = await deployer({ installation: `${installation}-other` });
    expect(other.list()).toEqual([]);

    const restarted = await deployer();
    expect(restarted.list()).toEqual([
      expect.objectContaining({ name, version: '2.0.0', replicas: 1, target: 'openshift' }),
    ]);
    expect(restarted.get(name, '2.0.0')?.replicaStatus.map((replica) => replica.url)).toEqual(
      ours.replicaStatus.map((replica) => replica.url),
    );
    await restarted.undeploy(name, '2.0.0');
    expect(await podsOf(namespace, '2.0.0')).toEqual([]);
  }, 400_000);

  it('fails an image the nodes keep failing to pull, naming it, and leaves nothing behind', async () => {
    const missing = `${ACCESS.address}/ml-run-test/iris-k8s@sha256:${'0'.repeat(64)}`;
    const error = await failureOf(sut.deploy(spec('9.0.0-pull', { image: missing })));
    expect(error.code).toBe(DeployErrorCode.ImagePullFailed);
    process.stdout.write(`${error.code}: ${error.message}\n`);
    expect(error.message).toContain(missing);
    const left = await apps.listNamespacedDeployment({
      namespace,
      labelSelector: `ml-run.io/model=${name}`,
    });
    expect(left.items).toEqual([]);
  }, 240_000);

  it('fails a model whose wrapper cannot start, in its own words', async () => {
    const error = await failureOf(
      sut.deploy(
        spec('9.0.0-init', {
          env: { MLRUN_AUTH_MODE: 'disabled', MLRUN_MODEL_DIR: '/nonexistent' },
        }),
      ),
    );
    expect(error.code).toBe(DeployErrorCode.DeploymentFailed);
    process.stdout.write(`init failure: ${error.message}\n`);
    expect(error.message).toContain('/nonexistent');
  }, 240_000);

  it('says QUOTA_EXCEEDED when the namespace quota refuses pods, and keeps what serves', async () => {
    const tight = await restrictedNamespace(`mlrun-it-${run}-quota`);
    namespaces.push(tight);
    // Room for one replica of 256Mi, not two.
    await core.createNamespacedResourceQuota({
      namespace: tight,
      body: { metadata: { name: 'small' }, spec: { hard: { 'requests.memory': '400Mi' } } },
    });
    const quoted = await deployer({ namespace: tight });
    const one = await quoted.deploy(spec('9.0.0-quota'));
    expect(one).toMatchObject({ replicas: 1, state: 'ready' });

    const error = await failureOf(quoted.scale(name, '9.0.0-quota', 2));
    expect(error.code).toBe(DeployErrorCode.QuotaExceeded);
    process.stdout.write(`${error.code}: ${error.message}\n`);
    expect(error.message).toContain('exceeded quota: small');
    // Scaled back: the replica that served still does.
    expect(quoted.get(name, '9.0.0-quota')).toMatchObject({ replicas: 1, state: 'ready' });
    expect(await predict(one.replicaStatus[0]?.url ?? '')).toMatchObject({ status: 200 });

    // A new version that does not fit at all fails and leaves nothing behind.
    const refused = await failureOf(quoted.deploy(spec('9.0.1-quota')));
    expect(refused.code).toBe(DeployErrorCode.QuotaExceeded);
    expect(await podsOf(tight, '9.0.1-quota')).toEqual([]);
    await quoted.undeploy(name, '9.0.0-quota');
  }, 300_000);

  it('says POD_SECURITY_REFUSED when the namespace level refuses the pods', async () => {
    // The template with a pod that may escalate privileges: `restricted` refuses it.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ml-run-model-'));
    const lax = path.join(dir, 'ml-run-model.yaml');
    const text = await readFile(TEMPLATE, 'utf8');
    expect(text).toContain('allowPrivilegeEscalation: false');
    await writeFile(
      lax,
      text.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'),
    );
    const laxDeployer = await deployer({ templatePath: lax });
    const error = await failureOf(laxDeployer.deploy(spec('9.0.0-psa')));
    expect(error.code).toBe(DeployErrorCode.PodSecurityRefused);
    process.stdout.write(`${error.code}: ${error.message}\n`);
    expect(error.message).toContain('allowPrivilegeEscalation');
  }, 240_000);
});
