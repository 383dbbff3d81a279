// Asynchronous predictions through the whole cluster plane: the router accepts
// (POST .../predict:async, token and scope checked), the builder deploys the model with its
// own Kafka principal, the replicas answer from Kafka, the routers settle into Ignite.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  LDAP_USERS,
  login,
  realKafka,
  REPO_ROOT,
  startClusterPlane,
  type ClusterPlane,
} from '@ml-run/process-testing';

import { zipModel } from './support/bundles';
import { PlatformClient } from './support/platform-client';

const ECHO = path.join(REPO_ROOT, 'examples/echo-node');
const MODEL = `echo-${randomUUID().slice(0, 8)}`;
const REQUESTS = 200;

describe('asynchronous predictions in cluster mode (router, Kafka, Ignite, model principal)', () => {
  let plane: ClusterPlane;
  let token: string;

  beforeAll(async () => {
    const { admin } = realKafka();
    if (!admin) throw new Error('start Kafka with tools/services/kafka/up.sh');
    plane = await startClusterPlane({
      MLRUN_KAFKA_ADMIN_USERNAME: admin.username,
      MLRUN_KAFKA_ADMIN_PASSWORD: admin.password,
      MLRUN_KAFKA_MODEL_SECRET: `model-secret-${randomUUID()}`,
    });
    token = (
      await login(plane.issuerUrl, LDAP_USERS.publisher.username, LDAP_USERS.publisher.password)
    ).access_token;
    const alice = new PlatformClient(plane, token);
    const manifest = (await readFile(path.join(ECHO, 'ml-run.yaml'), 'utf8')).replace(
      'name: echo',
      `name: ${MODEL}`,
    );
    const upload = await alice.upload(await zipModel(ECHO, { 'ml-run.yaml': manifest }));
    expect(upload.status).toBe(201);
    const version = String(upload.body['version']);
    expect(await alice.buildFinished(String(upload.body['buildId']))).toMatchObject({
      state: 'succeeded',
    });
    expect(await alice.deploy(MODEL, version, 2)).toMatchObject({ status: 200 });
  }, 180_000);
  afterAll(() => plane?.stop());

  it('answers every accepted request through Kafka, read back by its requester', async () => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'text/plain' };
    const ids = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, n) => {
        const res = await fetch(`${plane.routerUrl}/v1/models/${MODEL}/predict:async`, {
          method: 'POST',
          headers,
          body: `request ${n}`,
        });
        expect(res.status).toBe(202);
        return ((await res.json()) as { id: string }).id;
      }),
    );
    const outputs = new Map<string, string>();
    const deadline = Date.now() + 120_000;
    while (outputs.size < ids.length && Date.now() < deadline) {
      for (const id of ids.filter((candidate) => !outputs.has(candidate))) {
        const res = await fetch(`${plane.routerUrl}/v1/predictions/${id}`, { headers });
        const view = (await res.json()) as { status: string; output?: string };
        if (view.status === 'succeeded') outputs.set(id, view.output ?? '');
      }
      await sleep(200);
    }
    expect(outputs.size).toBe(REQUESTS);
    expect(outputs.get(ids[7] ?? '')).toBe('echo: request 7');
  }, 180_000);
});
