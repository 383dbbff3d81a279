import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';

import { login, REPO_ROOT, startAuthPlane, type AuthPlane } from '@ml-run/process-testing';

import { addGroup, addUser } from './support/auth-plane';
import { zipModel } from './support/bundles';
import { PlatformClient } from './support/platform-client';

const ECHO = path.join(REPO_ROOT, 'examples/echo-node');
const CALLBACK_SECRET = 'e2e-callback-secret-0123456789abcdef';
const N = 25;

// `npm start` users get asynchronous predictions too: embedded mode's router queues them on
// its in-process bus and runs them on the model's replicas; results only for their subject.
describe('asynchronous predictions in embedded mode', () => {
  let plane: AuthPlane;
  let admin: PlatformClient;
  let bob: PlatformClient;
  let carol: PlatformClient;

  beforeAll(async () => {
    plane = await startAuthPlane({ MLRUN_CALLBACK_SECRET: CALLBACK_SECRET });
    addGroup(plane, 'echo-clients', ['predict:echo']);
    addGroup(plane, 'fraud-clients', ['predict:fraud']);
    addUser(plane, 'bob', 'bob-password-123', ['echo-clients']);
    addUser(plane, 'carol', 'carol-password-123', ['fraud-clients']);
    const tokenOf = async (user: string, password: string) =>
      (await login(plane.issuerUrl, user, password)).access_token;
    admin = new PlatformClient(plane, await tokenOf('admin', plane.adminPassword));
    bob = new PlatformClient(plane, await tokenOf('bob', 'bob-password-123'));
    carol = new PlatformClient(plane, await tokenOf('carol', 'carol-password-123'));
    const upload = await admin.upload(await zipModel(ECHO));
    expect(await admin.buildFinished(String(upload.body['buildId']))).toMatchObject({
      state: 'succeeded',
    });
    expect(await admin.deploy('echo', String(upload.body['version']), 1)).toMatchObject({
      status: 200,
    });
    expect((await admin.predictWhenRouted('echo', 'warm')).status).toBe(200);
  });
  afterAll(() => plane?.stop());

  it(`accepts ${N} predictions with 202 and reads each result back`, async () => {
    const inputs = Array.from({ length: N }, (_, i) => `async-${i}`);
    const accepted = await Promise.all(inputs.map((input) => admin.predictAsync('echo', input)));
    expect(accepted.map((a) => a.status)).toEqual(inputs.map(() => 202));
    const settled = await Promise.all(
      accepted.map((a) => admin.predictionSettled(String(a.body['id']))),
    );
    expect(settled.map((s) => [s.status, s.body['status'], s.body['output']])).toEqual(
      inputs.map((input) => [200, 'succeeded', `echo: ${input}`]),
    );
  });

  it("gives another subject a 404 for someone's prediction, the same as for an unknown id", async () => {
    const { body } = await admin.predictAsync('echo', 'mine');
    const foreign = await bob.prediction(String(body['id']));
    const unknown = await bob.prediction('00000000-0000-4000-8000-000000000000');
    expect([foreign.status, foreign.body['code']]).toEqual([404, 'PREDICTION_NOT_FOUND']);
    expect([unknown.status, unknown.body['code']]).toEqual([404, 'PREDICTION_NOT_FOUND']);
    expect(JSON.stringify(foreign.body)).not.toContain('echo: mine');
  });

  it('refuses a token scoped to another model with 403', async () => {
    expect((await carol.predictAsync('echo', 'x')).status).toBe(403);
    expect((await bob.predictAsync('echo', 'x')).status).toBe(202);
  });

  it('calls back a loopback receiver with a valid signature', async () => {
    const arrived: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        arrived.push({ headers: request.headers, body: text });
        response.writeHead(204).end();
        server.emit('hook');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const hook = once(server, 'hook');
    const res = await admin.predictAsync('echo', 'call me', `http://127.0.0.1:${port}/hook`);
    expect(res.status).toBe(202);
    await hook;
    server.close();
    const [call] = arrived;
    const [, t, v1] =
      /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(call?.headers['x-mlrun-signature'])) ?? [];
    expect(v1).toBe(
      createHmac('sha256', CALLBACK_SECRET).update(`${t}.${call?.body}`).digest('hex'),
    );
    expect(JSON.parse(call?.body ?? '{}')).toMatchObject({
      id: res.body['id'],
      status: 'succeeded',
      output: 'echo: call me',
    });
  });

  it('refuses a callback to a host outside the allowlist with 400', async () => {
    const res = await admin.predictAsync('echo', 'x', 'http://192.0.2.1/hook');
    expect([res.status, res.body['code']]).toEqual([400, 'CALLBACK_NOT_ALLOWED']);
  });
});
