import path from 'node:path';

import { login, REPO_ROOT, startAuthPlane, type Plane } from '@ml-run/process-testing';
import type { ModelTraffic, RecentError } from '@ml-run/registry-contract';

import { zipModel } from './support/bundles';
import { PlatformClient } from './support/platform-client';

const ECHO = path.join(REPO_ROOT, 'examples/echo-node');
const PREDICTIONS = 5;

// What the console reads from the builder of a real embedded stack: sign-in and predictions
// through its one-origin proxy, and traffic counters scraped from real replicas.
describe('the console backend on an embedded stack', () => {
  let plane: Plane;
  let token: string;
  let sut: PlatformClient;

  beforeAll(async () => {
    plane = await startAuthPlane();
    const { username, password } = plane.publisher;
    token = (await login(plane.issuerUrl, username, password)).access_token;
    sut = new PlatformClient(plane, token);
  });
  afterAll(() => plane?.stop());

  const builder = (route: string, init: RequestInit = {}) =>
    fetch(`${plane.builderUrl}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    });

  it('signs in through /console/api/issuer, as the issuer itself would answer', async () => {
    const { username, password } = plane.publisher;
    const res = await fetch(`${plane.builderUrl}/console/api/issuer/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', username, password }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      token_type: 'Bearer',
      access_token: expect.any(String),
    });
  });

  it("predicts through /console/api/router, and counts the replica's real predictions", async () => {
    const upload = await sut.upload(await zipModel(ECHO));
    expect(upload.status).toBe(201);
    const version = String(upload.body['version']);
    expect(await sut.buildFinished(String(upload.body['buildId']))).toMatchObject({
      state: 'succeeded',
    });
    expect(await sut.deploy('echo', version, 1)).toMatchObject({ status: 200 });
    expect((await sut.predictWhenRouted('echo', 'warm-up')).status).toBe(200);

    for (let i = 0; i < PREDICTIONS; i++) {
      const res = await builder('/console/api/router/v1/models/echo/predict', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `"hello ${i}"`,
      });
      expect(res.status).toBe(200);
    }

    const traffic = (await (await builder('/v1/models/echo/traffic')).json()) as ModelTraffic;
    expect(traffic.replicas).toHaveLength(1);
    const [replica] = traffic.replicas;
    expect(replica).toMatchObject({ version, replica: 'echo-0', state: 'ready', scraped: true });
    const ok = replica?.predictions.find((p) => p.status === 200)?.count ?? 0;
    expect(ok).toBeGreaterThanOrEqual(PREDICTIONS + 1);
    expect(replica?.latency.count).toBeGreaterThanOrEqual(PREDICTIONS + 1);
    expect(replica?.latency.buckets.length).toBeGreaterThan(0);
    expect((replica?.l1.hits ?? 0) + (replica?.l1.misses ?? 0)).toBeGreaterThanOrEqual(ok);

    const errors = await builder(`/v1/models/echo/versions/${encodeURIComponent(version)}/errors`);
    expect(errors.status).toBe(200);
    expect(((await errors.json()) as { errors: RecentError[] }).errors).toEqual([]);
  });
});

// One console user guessing passwords must not lock the others out, though every console
// sign-in reaches the issuer from the builder: the builder passes on the browser's address
// (here named by a trusted proxy in front of it), and the issuer counts by it.
describe('console sign-ins behind MLRUN_TRUSTED_PROXIES', () => {
  let plane: Plane;

  beforeAll(async () => {
    plane = await startAuthPlane({
      MLRUN_TRUSTED_PROXIES: '127.0.0.1',
      MLRUN_LOGIN_MAX_FAILURES_PER_ADDRESS: '3',
    });
  });
  afterAll(() => plane?.stop());

  const signIn = (browser: string, password: string) =>
    fetch(`${plane.builderUrl}/console/api/issuer/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': browser },
      body: JSON.stringify({
        grant_type: 'password',
        username: plane.publisher.username,
        password,
      }),
    });

  it("locks the guessing browser's address only", async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('203.0.113.9', 'wrong')).status).toBe(400);

    expect((await signIn('203.0.113.9', plane.publisher.password)).status).toBe(429);
    expect((await signIn('198.51.100.7', plane.publisher.password)).status).toBe(200);
  });
});
