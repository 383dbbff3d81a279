import { readFile } from 'node:fs/promises';
import path from 'node:path';

import {
  childrenOf,
  login,
  REPO_ROOT,
  startAuthPlane,
  startClusterPlane,
  type Plane,
} from '@ml-run/process-testing';

import { zipModel, zipSlipBundle } from './support/bundles';
import { PlatformClient } from './support/platform-client';
import { steadyLoad } from './support/steady-load';

const IRIS = path.join(REPO_ROOT, 'examples/iris-python');
const IRIS_R = path.join(REPO_ROOT, 'examples/iris-r');
const SETOSA = JSON.stringify({ features: [5.1, 3.5, 1.4, 0.2] });
// One flower of each class, a batch, and an input both models refuse.
const IRIS_INPUTS = [
  SETOSA,
  JSON.stringify({ features: [7.0, 3.2, 4.7, 1.4] }),
  JSON.stringify({
    instances: [
      [6.3, 3.3, 6.0, 2.5],
      [4.9, 3.0, 1.4, 0.2],
    ],
  }),
];
const VERSION = /^1\.0\.0\+[0-9a-f]{12}$/;

// Routers reconcile with the builder's route table every second, so a wrong table in any
// mode (embedded's once wiped every route) shows within the flow instead of after 30 s.
const SETTINGS = {
  MLRUN_MAX_BUNDLE_BYTES: String(1024 * 1024),
  MLRUN_DRAIN_SECONDS: '1',
  MLRUN_ROUTES_RECONCILE_SECONDS: '1',
};

// The same flow, unchanged, on memory adapters in one process and on Ignite, Kafka and
// LDAP with one process per service.
const PLANES: [string, () => Promise<Plane>][] = [
  ['embedded mode', () => startAuthPlane(SETTINGS)],
  ['cluster mode (Ignite, Kafka, LDAP)', () => startClusterPlane(SETTINGS)],
];

// From zip to secured prediction through the builder and the router.
describe.each(PLANES)('golden path in %s', (_mode, startPlane) => {
  let plane: Plane;
  let sut: PlatformClient;
  let v1 = '';

  beforeAll(async () => {
    plane = await startPlane();
    const { username, password } = plane.publisher;
    const { access_token } = await login(plane.issuerUrl, username, password);
    sut = new PlatformClient(plane, access_token);
  });
  afterAll(() => plane?.stop());

  it('uploads, builds and answers the same version for the same content without rebuilding', async () => {
    const zip = await zipModel(IRIS);
    const first = await sut.upload(zip);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      name: 'iris',
      version: expect.stringMatching(VERSION),
      created: true,
    });
    v1 = String(first.body['version']);
    expect(await sut.buildFinished(String(first.body['buildId']))).toMatchObject({
      state: 'succeeded',
    });
    const again = await sut.upload(zip);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, created: false });
  });

  it('deploys two replicas and predicts through the router, only with a token', async () => {
    const deployment = await sut.deploy('iris', v1, 2);
    // The whole answer: on failure, the body says why (e.g. a replica's INIT_FAILED).
    expect(deployment).toMatchObject({ status: 200, body: { state: 'ready', replicas: 2 } });
    const res = await sut.predictWhenRouted('iris', SETOSA);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ class: 'setosa' });
    const anonymous = await fetch(`${plane.routerUrl}/v1/models/iris/predict`, {
      method: 'POST',
      body: SETOSA,
    });
    expect(anonymous.status).toBe(401);
  });

  it('serves the R twin of the model (examples/iris-r) with the same answers, on its R', async () => {
    const upload = await sut.upload(await zipModel(IRIS_R));
    expect(upload.status).toBe(201);
    expect(await sut.buildFinished(String(upload.body['buildId']))).toMatchObject({
      state: 'succeeded',
    });
    const deployment = await sut.deploy('iris-r', String(upload.body['version']), 1);
    expect(deployment).toMatchObject({ status: 200, body: { state: 'ready', replicas: 1 } });
    for (const input of IRIS_INPUTS) {
      const r = await sut.predictWhenRouted('iris-r', input);
      const python = await sut.predict('iris', input);
      expect(r).toMatchObject({ status: 200, body: python.body });
    }
    const refused = await sut.predict('iris-r', '{"features":[1,2,3]}');
    expect(refused).toMatchObject({ status: 422, body: { code: 'PREDICT_FAILED' } });
    const [replica] = (deployment.body as { replicaStatus: { url: string }[] }).replicaStatus;
    const info = (await (await fetch(`${replica?.url}/v1/model`)).json()) as unknown;
    expect(info).toMatchObject({ runtime: 'r', interpreter: expect.stringMatching(/^R \d+\.\d+/) });
    expect(
      (await sut.undeploy('iris-r', String(upload.body['version']), true)).status,
    ).toBeLessThan(300);
  });

  it('refuses an R model whose Debian package this host lacks, naming the apt package', async () => {
    const manifest = (await readFile(path.join(IRIS_R, 'ml-run.yaml'), 'utf8'))
      .replace('codeVersion: 1.0.0', 'codeVersion: 1.0.2')
      .replace('packages: [r-cran-jsonlite]', 'packages: [r-cran-jsonlite, NoSuchPkg]');
    const upload = await sut.upload(await zipModel(IRIS_R, { 'ml-run.yaml': manifest }));
    expect(await sut.buildFinished(String(upload.body['buildId']))).toMatchObject({
      state: 'succeeded',
    });
    const deployment = await sut.deploy('iris-r', String(upload.body['version']), 1);
    expect(deployment.status).toBe(422);
    expect(JSON.stringify(deployment.body)).toContain('apt-get install r-cran-nosuchpkg');
  });

  it.each([
    ['not a zip', async () => Buffer.from('this is not a zip file'), 400, 'ZIP_INVALID'],
    ['a zip-slip entry', () => zipSlipBundle(IRIS), 422, 'ZIP_PATH_TRAVERSAL'],
    [
      'an invalid manifest',
      () => zipModel(IRIS, { 'ml-run.yaml': 'name: Iris!\nruntime: cobol\n' }),
      422,
      'MANIFEST_INVALID',
    ],
    ['an oversized bundle', async () => Buffer.alloc(2 * 1024 * 1024, 7), 413, 'BUNDLE_TOO_LARGE'],
    [
      'a requirements.txt naming its own package index',
      () =>
        zipModel(IRIS, {
          'requirements.txt': '--extra-index-url https://pypi.example.invalid/simple\nsix\n',
        }),
      422,
      'DEPENDENCY_SOURCE_REFUSED',
    ],
    [
      'a manifest asking for source builds this builder does not allow',
      async () =>
        zipModel(IRIS, {
          'ml-run.yaml': `${await readFile(path.join(IRIS, 'ml-run.yaml'), 'utf8')}dependencies: { sourceBuilds: true }\n`,
        }),
      422,
      'SOURCE_BUILDS_NOT_ALLOWED',
    ],
  ])(
    'refuses %s and leaves the registry and running models untouched',
    async (_what, bundle, status, code) => {
      const before = await sut.models();
      const zip = await bundle();
      const res = await sut.upload(typeof zip === 'string' ? await readFile(zip) : zip);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ code });
      expect(await sut.models()).toEqual(before);
      expect((await sut.predict('iris', SETOSA)).status).toBe(200);
    },
  );

  it('gives retrained coefficients a new version while the old one stays callable', async () => {
    const coefficients = JSON.parse(
      await readFile(path.join(IRIS, 'coefficients/model.json'), 'utf8'),
    );
    coefficients.trainedOn = 'retrained for the test';
    const res = await sut.upload(
      await zipModel(IRIS, { 'coefficients/model.json': JSON.stringify(coefficients) }),
    );
    expect(res.status).toBe(201);
    const v2 = String(res.body['version']);
    expect(v2).toMatch(VERSION);
    expect(v2).not.toBe(v1);
    expect(v2.split('+')[0]).toBe(v1.split('+')[0]);
    expect((await sut.predict('iris', SETOSA, v1)).status).toBe(200);
  });

  it('rolls stable to the new version under steady load with zero failed requests', async () => {
    const versions = ((await sut.model('iris')).body['versions'] as { version: string }[]).map(
      (v) => v.version,
    );
    const v2 = versions.find((v) => v !== v1) ?? '';
    await sut.buildFinished(
      String(
        ((await sut.model('iris')).body['versions'] as { version: string; buildId: string }[]).find(
          (v) => v.version === v2,
        )?.buildId,
      ),
    );
    const load = steadyLoad(() => sut.predict('iris', SETOSA));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rollout = await sut.deploy('iris', v2, 2);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const statuses = await load.stop();
    expect(rollout.status).toBe(200);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(50);
    const model = (await sut.model('iris')).body as {
      aliases: Record<string, unknown>;
      deployments: { version: string }[];
    };
    expect(model.aliases['stable']).toEqual({ versions: [{ version: v2, weight: 100 }] });
    expect(model.deployments.map((d) => d.version)).toEqual([v2]);
  });

  it('keeps serving when a replica is killed under load, and the builder restarts it', async () => {
    const wrappers = childrenOf(plane.process.pid ?? 0);
    expect(wrappers).toHaveLength(2);
    const load = steadyLoad(() => sut.predict('iris', SETOSA));
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(wrappers[0]?.pid ?? 0, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const statuses = await load.stop();
    // The router retries a refused connection on the other replica: at most the request
    // that was inside the killed process can fail.
    expect(statuses.filter((s) => s !== 200).length).toBeLessThanOrEqual(1);
    const deadline = Date.now() + 20_000;
    let replicas: { state: string; restarts: number }[] = [];
    while (Date.now() < deadline) {
      const model = (await sut.model('iris')).body as {
        deployments: { replicaStatus: typeof replicas }[];
      };
      replicas = model.deployments[0]?.replicaStatus ?? [];
      if (replicas.every((r) => r.state === 'ready') && replicas.some((r) => r.restarts === 1))
        break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(replicas.map((r) => r.state)).toEqual(['ready', 'ready']);
    expect(replicas.map((r) => r.restarts).sort()).toEqual([0, 1]);
  });
});
