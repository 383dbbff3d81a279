import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';

import {
  kubernetesUnderTest,
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
const SETOSA = JSON.stringify({ features: [5.1, 3.5, 1.4, 0.2] });
const VIRGINICA = JSON.stringify({ features: [6.7, 3.0, 5.2, 2.3] });
const STATE = process.env['MLRUN_SERVICES_DIR'] ?? path.join(os.homedir(), '.ml-run/services');
// A run takes minutes; a test namespace older than this was left by a dead run.
const STALE_AFTER_MS = 30 * 60_000;
const E2E_LABEL = 'ml-run.io/e2e';
// Pods pull the image and start the wrapper and the model: minutes on a loaded 2-core box.
const DEPLOY_TIMEOUT_MS = 240_000;

// Not on its way out: a deleted pod stays listed while it terminates.
const isRunning = (pod: V1Pod) => !pod.metadata?.deletionTimestamp;

type Deployment = {
  version: string;
  state: string;
  replicas: number;
  replicaStatus: { url: string; state: string }[];
};

// The paper's pipeline on Kubernetes: zip → image in the registry → Deployment of pods in a
// namespace under PodSecurity `restricted` → router, which calls the pods' own addresses.
describe('openshift target: model versions as pods of a real Kubernetes', () => {
  const cluster = kubernetesUnderTest();
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(cluster.kubeconfigPath);
  const core = kubeconfig.makeApiClient(CoreV1Api);
  // This run's own namespace and installation: runs from other worktrees share the cluster.
  const namespace = `e2e-openshift-${randomBytes(4).toString('hex')}`;
  let plane: ClusterPlane;
  let alice: PlatformClient;

  // The pods of this installation's model versions that are not on their way out.
  const livePods = async (): Promise<V1Pod[]> => {
    const pods = await core.listNamespacedPod({
      namespace,
      labelSelector: `ml-run.io/installation=${namespace}`,
    });
    return pods.items.filter(isRunning);
  };
  const allPods = async () =>
    (await core.listNamespacedPod({ namespace, labelSelector: 'ml-run.io/model=iris' })).items;
  const removeStaleNamespaces = async () => {
    const staleBefore = Date.now() - STALE_AFTER_MS;
    const { items } = await core.listNamespace({ labelSelector: `${E2E_LABEL}=openshift` });
    for (const ns of items) {
      const created = ns.metadata?.creationTimestamp?.getTime() ?? Date.now();
      if (created > staleBefore || !ns.metadata?.name) continue;
      await core.deleteNamespace({ name: ns.metadata.name }).catch(() => undefined);
    }
  };

  // iris at a fifth of its CPU: during a roll both versions' pods run, and six pods of
  // 500m would not fit the test node's 2 cores.
  const irisZip = async (overrides: Record<string, string> = {}) => {
    const manifest = await readFile(path.join(IRIS, 'ml-run.yaml'), 'utf8');
    const small = manifest.replace('resources: { cpu: 500m,', 'resources: { cpu: 100m,');
    expect(small).not.toEqual(manifest);
    return zipModel(IRIS, { 'ml-run.yaml': small, ...overrides });
  };
  const built = async (zip: string) => {
    const upload = await alice.upload(zip);
    expect(upload.status).toBeLessThan(300);
    const build = await alice.buildFinished(String(upload.body['buildId']), 180_000);
    expect(build).toMatchObject({ state: 'succeeded' });
    return String(upload.body['version']);
  };
  const deploy = (version: string, replicas: number) => alice.deploy('iris', version, replicas);
  const deployments = async () =>
    ((await alice.model('iris')).body['deployments'] ?? []) as Deployment[];
  const timed = async <T>(work: () => Promise<T>) => {
    const started = Date.now();
    const result = await work();
    return { result, ms: Date.now() - started };
  };

  beforeAll(async () => {
    await removeStaleNamespaces();
    await core.createNamespace({
      body: {
        metadata: {
          name: namespace,
          labels: {
            [E2E_LABEL]: 'openshift',
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': 'latest',
          },
        },
      },
    });
    const baseImage = execFileSync(path.join(REPO_ROOT, 'tools/images/build-base.sh'), [
      '--print-tag',
    ])
      .toString()
      .trim();
    plane = await startClusterPlane(
      { MLRUN_DRAIN_SECONDS: '2', MLRUN_REGISTRY_NAMESPACE: namespace },
      {
        target: 'openshift',
        dockerHost: `unix://${STATE}/docker/docker.sock`,
        baseImage,
        registry: registryUnderTest(),
        kubeconfigPath: cluster.kubeconfigPath,
        namespace,
        nodeIp: cluster.nodeIp,
      },
    );
    const { access_token } = await login(
      plane.issuerUrl,
      LDAP_USERS.publisher.username,
      LDAP_USERS.publisher.password,
    );
    alice = new PlatformClient(plane, access_token);
  }, 180_000);
  afterAll(async () => {
    await plane?.stop();
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it(
    'deploys examples/iris-python as 3 restricted pods, and the router predicts on their addresses',
    async () => {
      const version = await built(await irisZip());
      const { result: deployed, ms } = await timed(() => deploy(version, 3));
      process.stdout.write(`openshift: 3 pods READY ${ms} ms after the deploy request\n`);
      expect(deployed).toMatchObject({ status: 200, body: { state: 'ready', replicas: 3 } });

      const pods = await livePods();
      expect(pods).toHaveLength(3);
      // The router is handed the pods' own addresses (EndpointSlices), not a Service's.
      const podUrls = pods.map((pod) => `http://${pod.status?.podIP}:9000`).sort();
      const [record] = await deployments();
      expect(record?.replicaStatus.map((replica) => replica.url).sort()).toEqual(podUrls);
      const predicted = await alice.predictWhenRouted('iris', SETOSA, undefined, 30_000);
      expect(predicted).toMatchObject({ status: 200, body: { class: 'setosa' } });
    },
    DEPLOY_TIMEOUT_MS,
  );

  it(
    'scales to 2 and back to 3',
    async () => {
      const [current] = await deployments();
      const version = current?.version ?? '';
      expect(await deploy(version, 2)).toMatchObject({ status: 200, body: { replicas: 2 } });
      await eventually(livePods, (pods) => pods.length === 2, 60_000);
      expect((await alice.predict('iris', SETOSA)).status).toBe(200);
      expect(await deploy(version, 3)).toMatchObject({ status: 200, body: { replicas: 3 } });
      expect(await livePods()).toHaveLength(3);
      expect((await alice.predict('iris', SETOSA)).status).toBe(200);
    },
    DEPLOY_TIMEOUT_MS,
  );

  it(
    'rolls to new coefficients under steady load with zero failed requests, ending on the new version',
    async () => {
      const [current] = await deployments();
      const v1 = current?.version ?? '';
      const answerOf = async (version: string) =>
        JSON.stringify((await alice.predict('iris', VIRGINICA, version)).body);
      const oldAnswer = await answerOf(v1);
      const coefficients = JSON.parse(
        await readFile(path.join(IRIS, 'coefficients/model.json'), 'utf8'),
      ) as { bias: number[]; trainedOn?: string };
      // A lower virginica bias: the manifest's selfTest (a setosa) answers as before, a
      // virginica gets other probabilities, so each answer tells which version gave it.
      coefficients.bias[2] = (coefficients.bias[2] ?? 0) - 1;
      coefficients.trainedOn = 'retrained for the openshift test';
      const v2 = await built(
        await irisZip({ 'coefficients/model.json': JSON.stringify(coefficients) }),
      );
      const answers: string[] = [];
      const load = steadyLoad(async () => {
        const res = await alice.predict('iris', VIRGINICA);
        answers.push(JSON.stringify(res.body));
        return res;
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const rollout = await deploy(v2, 3);
      // The old pods drain and stop while the load goes on.
      await eventually(allPods, (pods) => pods.length === 3 && pods.every(isRunning), 120_000);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const statuses = await load.stop();
      const failed = statuses.filter((status) => status !== 200);
      process.stdout.write(
        `openshift: rolling update ${v1} -> ${v2}: ${statuses.length} requests, ${failed.length} failed\n`,
      );
      expect(rollout).toMatchObject({ status: 200, body: { state: 'ready', replicas: 3 } });
      expect(failed).toEqual([]);
      expect(statuses.length).toBeGreaterThan(50);
      expect((await deployments()).map((d) => d.version)).toEqual([v2]);
      // Traffic ends on v2: v1 answered first, the last answers are v2's, and nothing else.
      const newAnswer = await answerOf(v2);
      expect(newAnswer).not.toEqual(oldAnswer);
      expect(answers[0]).toEqual(oldAnswer);
      expect(answers.slice(-10)).toEqual(Array(10).fill(newAnswer));
      expect(answers.filter((answer) => answer !== oldAnswer && answer !== newAnswer)).toEqual([]);
    },
    DEPLOY_TIMEOUT_MS,
  );

  it(
    'undeploys the version, and its pods are gone',
    async () => {
      const [current] = await deployments();
      const undeployed = await alice.undeploy('iris', current?.version ?? '', true);
      expect(undeployed.status).toBeLessThan(300);
      expect(await deployments()).toEqual([]);
      await eventually(allPods, (pods) => pods.length === 0, 90_000);
    },
    DEPLOY_TIMEOUT_MS,
  );
});
