import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';

import {
  descendantsOf,
  LDAP_USERS,
  login,
  realKafka,
  REPO_ROOT,
  scraperHeaders,
  startClusterPlane,
  type ClusterPlane,
  type TokenAnswer,
} from '@ml-run/process-testing';

import { revoke } from './support/auth-plane';
import { zipModel } from './support/bundles';
import { PlatformClient } from './support/platform-client';
import { eventually, startComponent, stopComponent } from './support/real-components';

const IRIS = path.join(REPO_ROOT, 'examples/iris-python');
const SETOSA = JSON.stringify({ features: [5.1, 3.5, 1.4, 0.2] });

async function tokenStatus(issuerUrl: string, username: string, password: string) {
  const response = await fetch(`${issuerUrl}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username, password }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function predictAt(replicaUrl: string, token: string): Promise<number> {
  const response = await fetch(`${replicaUrl}/v1/predict`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: SETOSA,
  });
  await response.arrayBuffer();
  return response.status;
}

// Every lifecycle event of one model version that reached Kafka, read from the beginning.
async function eventsInKafka(version: string): Promise<string[]> {
  // With the platform's credentials: the broker's ACLs give nobody else ml-run.* topics
  // and groups.
  const { brokers, sasl } = realKafka();
  const kafka = new Kafka({ brokers, ...(sasl && { sasl }), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `ml-run.e2e-audit-${Date.now()}-${Math.random()}` });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: 'ml-run.models', fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? '{}') as Record<string, unknown>;
      const deployment = event['deployment'] as { version?: string } | undefined;
      if (event['version'] === version || deployment?.version === version)
        seen.push(String(event['type']));
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 5000));
  await consumer.disconnect();
  return seen;
}

/** Publishes one event as `sasl` (undefined: anonymous); answers 'accepted' or the error. */
async function publishAs(sasl: SASLOptions | undefined, topic: string, event: object) {
  const retry = { retries: 0 };
  const kafka = new Kafka({
    brokers: realKafka().brokers,
    // Built afresh: kafkajs caches the login on the options object it is given.
    ...(sasl && { sasl: { ...sasl } }),
    retry,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ retry });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ value: JSON.stringify(event) }] });
    return 'accepted';
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/** A server that would collect callers' bearer tokens: counts whatever reaches it. */
async function captureServer(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(String(request.headers.authorization));
    response.end('{"class":"captured"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('cluster mode: separate services on Ignite, Kafka and LDAP', () => {
  let plane: ClusterPlane;
  let alice: PlatformClient;
  let aliceToken: TokenAnswer;
  let v1 = '';

  const replicaUrls = async (version: string) => {
    const model = (await alice.model('iris')).body as {
      deployments: { version: string; replicaStatus: { url: string }[] }[];
    };
    const deployment = model.deployments.find((d) => d.version === version);
    return deployment?.replicaStatus.map((r) => r.url) ?? [];
  };
  // Route tables the router loaded because an event asked (its /metrics).
  const eventLoads = async () => {
    const response = await fetch(`${plane.routerUrl}/metrics`, {
      headers: scraperHeaders(plane.credentials),
    });
    const line = /^mlrun_router_route_table_loads\{[^}]*reason="event"[^}]*\} (\d+)$/m;
    return Number(line.exec(await response.text())?.[1] ?? 0);
  };
  const loginAs = ({ username, password }: { username: string; password: string }) =>
    login(plane.issuerUrl, username, password);

  // Revokes a fresh token of bob's after every replica has it in L1; answers how long
  // the last replica took to refuse it.
  const revocationDelayMs = async (version: string) => {
    const bob = await loginAs(LDAP_USERS.predictor);
    const replicas = await replicaUrls(version);
    expect(replicas.length).toBeGreaterThan(0);
    for (const url of replicas) expect(await predictAt(url, bob.access_token)).toBe(200);
    expect(await revoke(plane, bob.access_token)).toBe(200);
    const started = Date.now();
    for (const url of replicas) {
      await eventually(
        () => predictAt(url, bob.access_token),
        (s) => s === 401,
        5000,
      );
    }
    const delayMs = Date.now() - started;
    process.stdout.write(
      `revoked token refused by ${replicas.length} replicas after ${delayMs} ms\n`,
    );
    return delayMs;
  };

  beforeAll(async () => {
    plane = await startClusterPlane({ MLRUN_DRAIN_SECONDS: '1' });
    aliceToken = await loginAs(LDAP_USERS.publisher);
    alice = new PlatformClient(plane, aliceToken.access_token);
    const upload = await alice.upload(await zipModel(IRIS));
    expect(upload.status).toBe(201);
    v1 = String(upload.body['version']);
    expect(await alice.buildFinished(String(upload.body['buildId']))).toMatchObject({
      state: 'succeeded',
    });
    expect(await alice.deploy('iris', v1, 2)).toMatchObject({ status: 200 });
  });
  afterAll(async () => {
    // Whatever failed, the shared components must be up for the next suite.
    await startComponent('slapd');
    await startComponent('ignite');
    await startComponent('model-ignite');
    await startComponent('kafka');
    await plane?.stop();
  });

  it('gives an LDAP user the scopes of their groups, and nothing to injected filters', async () => {
    expect(aliceToken.scope.split(' ').sort()).toEqual(['models:write:*', 'predict:*']);
    const attempts = [
      ['*)(uid=*', 'alice-password-123'],
      ['*', 'alice-password-123'],
      ['alice)(|(uid=*', 'x'],
      ['alice', ''],
      ['nobody', 'some-password-123'],
      ['alice', 'wrong-password-123'],
    ];
    for (const [username = '', password = ''] of attempts) {
      const { status, body } = await tokenStatus(plane.issuerUrl, username, password);
      expect({ username, status, token: body['access_token'] }).toEqual({
        username,
        status: 400,
        token: undefined,
      });
    }
  });

  it('predicts through the router and stops a revoked token at every replica within moments', async () => {
    expect((await alice.predictWhenRouted('iris', SETOSA)).body).toMatchObject({ class: 'setosa' });
    // Tens of ms on an idle machine (printed); the bound catches a revocation that never
    // arrives, not a loaded machine.
    expect(await revocationDelayMs(v1)).toBeLessThan(5_000);
  });

  it('sends no caller to a capture server a forged deployment.changed names, anonymous or insider', async () => {
    const capture = await captureServer();
    try {
      const forged = {
        type: 'deployment.changed',
        deployment: {
          name: 'iris',
          version: v1,
          target: 'process',
          replicas: 1,
          state: 'ready',
          replicaStatus: [{ id: 'iris-0', url: capture.url, state: 'ready', restarts: 0 }],
          updatedAt: new Date().toISOString(),
        },
        at: new Date().toISOString(),
      };
      // The broker refuses a client without the platform's credentials.
      expect(await publishAs(undefined, 'ml-run.models', forged)).not.toBe('accepted');
      // An insider holding them gets the event onto the bus (the control: it reaches the
      // router), but the router only reloads the builder's route table on it.
      const before = await eventLoads();
      expect(await publishAs(realKafka().sasl, 'ml-run.models', forged)).toBe('accepted');
      // The control: the router heard the insider's event and reloaded the route table on it.
      await eventually(eventLoads, (loads) => loads > before, 10_000);
      for (let i = 0; i < 5; i++) {
        const answer = await alice.predict('iris', SETOSA);
        expect(answer).toMatchObject({ status: 200, body: { class: 'setosa' } });
      }
      expect(capture.seen).toEqual([]);
    } finally {
      capture.server.close();
    }
  });

  it("gives no replica, nor anything else the builder starts, the platform's Kafka credentials", async () => {
    const environ = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      } catch {
        return []; // exited meanwhile
      }
    };
    const password = `MLRUN_KAFKA_PASSWORD=${realKafka().sasl?.password}`;
    // The control: the builder itself holds the password, and this check finds it.
    expect(environ(plane.process.pid ?? 0)).toContain(password);
    const started = descendantsOf(plane.process.pid ?? 0);
    expect(started.length).toBeGreaterThan(0);
    for (const { pid, command } of started) {
      const found = environ(pid).filter((entry) => entry.startsWith('MLRUN_KAFKA_'));
      expect({ command, found }).toEqual({ command, found: [] });
    }
  });

  it('refuses a forged anonymous token.revoked; the same from the platform principal logs out (control)', async () => {
    const bob = await loginAs(LDAP_USERS.predictor);
    const replicas = await replicaUrls(v1);
    for (const url of replicas) expect(await predictAt(url, bob.access_token)).toBe(200);
    const forged = {
      type: 'token.revoked',
      tokenHash: sha256(bob.access_token),
      sub: 'bob',
      revokedAt: new Date().toISOString(),
    };
    expect(await publishAs(undefined, 'ml-run.tokens', forged)).not.toBe('accepted');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (const url of replicas) expect(await predictAt(url, bob.access_token)).toBe(200);
    expect(await publishAs(realKafka().sasl, 'ml-run.tokens', forged)).toBe('accepted');
    for (const url of replicas) {
      await eventually(
        () => predictAt(url, bob.access_token),
        (status) => status === 401,
        5000,
      );
    }
  });

  it('answers 503 to logins while LDAP is down; tokens already issued keep working', async () => {
    await stopComponent('slapd');
    try {
      const refused = await tokenStatus(plane.issuerUrl, 'bob', LDAP_USERS.predictor.password);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: 'AUTH_UNAVAILABLE' });
      expect(String(refused.body['message'])).toMatch(/directory/);
      expect((await alice.predict('iris', SETOSA)).status).toBe(200);
    } finally {
      await startComponent('slapd');
    }
    expect((await loginAs(LDAP_USERS.predictor)).access_token).toBeTruthy();
  });

  it('keeps registry data across an Ignite restart; warm tokens keep working meanwhile', async () => {
    const before = await alice.model('iris');
    for (const url of await replicaUrls(v1)) {
      expect(await predictAt(url, aliceToken.access_token)).toBe(200);
    }
    await stopComponent('ignite');
    try {
      expect((await alice.predict('iris', SETOSA)).status).toBe(200);
      const refused = await tokenStatus(plane.issuerUrl, 'bob', LDAP_USERS.predictor.password);
      expect(refused.status).toBe(503);
    } finally {
      await startComponent('ignite');
    }
    // The services reconnect by themselves: no restart of theirs in this test.
    await eventually(
      () => tokenStatus(plane.issuerUrl, 'bob', LDAP_USERS.predictor.password),
      (r) => r.status === 200,
      30_000,
    );
    const after = await alice.model('iris');
    expect(after.body['versions']).toEqual(before.body['versions']);
    expect(after.body['aliases']).toEqual(before.body['aliases']);
    const fresh = await loginAs(LDAP_USERS.predictor);
    const bob = new PlatformClient(plane, fresh.access_token);
    expect((await bob.predict('iris', SETOSA)).status).toBe(200);
  });

  it('loses no lifecycle event across a Kafka restart, and revocation still reaches replicas', async () => {
    const coefficients = JSON.parse(
      await readFile(path.join(IRIS, 'coefficients/model.json'), 'utf8'),
    );
    coefficients.trainedOn = 'retrained while Kafka restarts';
    const upload = await alice.upload(
      await zipModel(IRIS, { 'coefficients/model.json': JSON.stringify(coefficients) }),
    );
    const v2 = String(upload.body['version']);
    await alice.buildFinished(String(upload.body['buildId']));
    await stopComponent('kafka');
    let deploying: ReturnType<PlatformClient['deploy']> | undefined;
    try {
      deploying = alice.deploy('iris', v2, 1);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      await startComponent('kafka');
    }
    expect((await deploying)?.status).toBe(200);
    await eventually(
      () => alice.predict('iris', SETOSA, v2).then((r) => r.status),
      (status) => status === 200,
      30_000,
    );
    expect(await eventsInKafka(v2)).toContain('deployment.ready');
    // The validator's consumer may still be rejoining its group (up to its 10 s session).
    await eventually(
      () => revocationDelayMs(v2),
      (delay) => delay < 1000,
      45_000,
    );
  });
});
