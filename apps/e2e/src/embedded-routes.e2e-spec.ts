import path from 'node:path';

import { login, REPO_ROOT, startAuthPlane, type Plane } from '@ml-run/process-testing';

import { zipModel } from './support/bundles';
import { PlatformClient } from './support/platform-client';

const ECHO = path.join(REPO_ROOT, 'examples/echo-node');
const RECONCILE_SECONDS = 1;

// Embedded mode's router reconciles like a standalone one: with the builder's route table,
// so a deployed model stays routed across reconciles (and a lost event is mended).
describe('embedded mode routes across reconciles', () => {
  let plane: Plane;
  let sut: PlatformClient;

  beforeAll(async () => {
    plane = await startAuthPlane({ MLRUN_ROUTES_RECONCILE_SECONDS: String(RECONCILE_SECONDS) });
    const { username, password } = plane.publisher;
    const { access_token } = await login(plane.issuerUrl, username, password);
    sut = new PlatformClient(plane, access_token);
  });
  afterAll(() => plane?.stop());

  it('keeps predicting a deployed model after several reconcile periods', async () => {
    const upload = await sut.upload(await zipModel(ECHO));
    expect(upload.status).toBe(201);
    const version = String(upload.body['version']);
    expect(await sut.buildFinished(String(upload.body['buildId']))).toMatchObject({
      state: 'succeeded',
    });
    expect(await sut.deploy('echo', version, 1)).toMatchObject({ status: 200 });
    expect((await sut.predictWhenRouted('echo', 'hello')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3 * RECONCILE_SECONDS * 1000 + 500));
    const later = await sut.predict('echo', 'hello');
    expect(later).toMatchObject({ status: 200, body: 'echo: hello' });
  });
});
