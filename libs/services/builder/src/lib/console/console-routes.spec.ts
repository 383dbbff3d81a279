import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

type Seen = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

/** An issuer or router stand-in: records what reached it, answers 201 with headers. */
async function fakeUpstream(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      });
      response.writeHead(201, {
        'content-type': 'application/json',
        'www-authenticate': 'Bearer realm="ml-run"',
        'retry-after': '3',
        'set-cookie': 'upstream=1',
        'x-upstream-secret': 'internal',
      });
      response.end(JSON.stringify({ echoed: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the console on the builder', () => {
  let dir: string;
  let sut: TestBuilder;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'console-'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>ML-RUN</title>');
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'assets', 'main-7QX2KJ4M.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'favicon.svg'), '<svg/>');
    await writeFile(path.join(os.tmpdir(), 'outside-console.txt'), 'secret');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  describe('files', () => {
    beforeAll(async () => {
      sut = await startTestBuilder({ settings: { MLRUN_CONSOLE_DIR: dir } });
    });
    afterAll(() => sut.close());

    it('serves index.html at /console, with the strict headers and no caching', async () => {
      const res = await sut.app.inject({ method: 'GET', url: '/console' });

      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>ML-RUN</title>');
      expect(res.headers).toMatchObject({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      const csp = String(res.headers['content-security-policy']);
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ]) {
        expect(csp).toContain(directive);
      }
    });

    it.each([
      '/console/',
      '/console/models',
      '/console/models/iris/versions/1.0.0+6526c66fa490',
      '/console/models/iris.v2',
    ])('answers the console route %s with index.html', async (url) => {
      const res = await sut.app.inject({ method: 'GET', url });

      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>ML-RUN</title>');
    });

    it('serves a hashed asset as immutable, an unhashed one uncached', async () => {
      const hashed = await sut.app.inject({
        method: 'GET',
        url: '/console/assets/main-7QX2KJ4M.js',
      });
      const plain = await sut.app.inject({ method: 'GET', url: '/console/favicon.svg' });

      expect(hashed.statusCode).toBe(200);
      expect(hashed.body).toBe('console.log(1)');
      expect(hashed.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain.headers['content-type']).toBe('image/svg+xml');
      expect(plain.headers['cache-control']).toBe('no-cache');
    });

    it.each([
      '/console/missing.js',
      '/console/..%2foutside-console.txt',
      '/console/%2e%2e/outside-console.txt',
      '/console/assets/..%2f..%2foutside-console.txt',
      '/console/.hidden.txt',
    ])('answers %s with 404 NOT_FOUND, never a file outside', async (url) => {
      const res = await sut.app.inject({ method: 'GET', url });

      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
      expect(res.body).not.toContain('secret');
    });
  });

  it('answers 503 CONSOLE_NOT_BUILT, saying to build it, when the directory is missing', async () => {
    const missing = await startTestBuilder({
      settings: { MLRUN_CONSOLE_DIR: path.join(dir, 'not-there') },
    });
    try {
      const res = await missing.app.inject({ method: 'GET', url: '/console/models' });

      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'CONSOLE_NOT_BUILT' });
      expect(res.json().message).toContain('npm run build');
    } finally {
      await missing.close();
    }
  });

  describe('proxy', () => {
    let issuer: Awaited<ReturnType<typeof fakeUpstream>>;
    let router: Awaited<ReturnType<typeof fakeUpstream>>;

    beforeAll(async () => {
      issuer = await fakeUpstream();
      router = await fakeUpstream();
      sut = await startTestBuilder({
        settings: {
          MLRUN_CONSOLE_DIR: dir,
          MLRUN_ISSUER_URL: issuer.url,
          MLRUN_ROUTER_URL: `${router.url}/`,
          MLRUN_MAX_BODY_BYTES: '4096',
        },
      });
    });
    afterAll(async () => {
      await sut.close();
      await issuer.close();
      await router.close();
    });
    beforeEach(() => {
      issuer.seen.length = 0;
      router.seen.length = 0;
    });

    it('forwards a sign-in as sent, with only the allowed headers, and answers as the issuer did', async () => {
      const res = await sut.app.inject({
        method: 'POST',
        url: '/console/api/issuer/v1/auth/token',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          cookie: 'session=stolen',
          'x-request-id': 'req-1',
          'x-forwarded-for': '203.0.113.9',
          'x-custom': 'no',
        },
        payload: 'grant_type=password&username=alice&password=pw',
      });

      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ echoed: 'grant_type=password&username=alice&password=pw' });
      expect(res.headers).toMatchObject({
        'www-authenticate': 'Bearer realm="ml-run"',
        'retry-after': '3',
        'x-request-id': 'req-1',
      });
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['x-upstream-secret']).toBeUndefined();
      const [seen] = issuer.seen;
      expect(seen).toMatchObject({ method: 'POST', url: '/v1/auth/token' });
      expect(seen?.headers).toMatchObject({
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'x-request-id': 'req-1',
        // The caller's own claim is replaced by the address the builder saw.
        'x-forwarded-for': '127.0.0.1',
      });
      expect(seen?.headers.cookie).toBeUndefined();
      expect(seen?.headers['x-custom']).toBeUndefined();
    });

    it('passes the bearer token on, and only the alias query to a predict', async () => {
      const res = await sut.app.inject({
        method: 'POST',
        url: '/console/api/router/v1/models/iris/predict?alias=canary&debug=1',
        headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
        payload: { inputs: [[1, 2, 3, 4]] },
      });

      expect(res.statusCode).toBe(201);
      expect(router.seen[0]).toMatchObject({
        url: '/v1/models/iris/predict?alias=canary',
        body: '{"inputs":[[1,2,3,4]]}',
      });
      expect(router.seen[0]?.headers.authorization).toBe('Bearer tok');
    });

    it.each([
      ['POST', '/console/api/router/v1/models/iris/versions/1.0.0+6526c66fa490/predict'],
      ['DELETE', '/console/api/issuer/v1/users/alice'],
      ['POST', '/console/api/issuer/v1/users/alice/revoke-tokens'],
      ['GET', '/console/api/issuer/v1/users'],
      ['POST', '/console/api/issuer/v1/users'],
      ['GET', '/console/api/issuer/v1/groups'],
      ['POST', '/console/api/issuer/v1/auth/revoke'],
    ] as const)('forwards %s %s', async (method, url) => {
      const res = await sut.app.inject({ method, url, headers: { authorization: 'Bearer tok' } });

      expect(res.statusCode).toBe(201);
      expect([...issuer.seen, ...router.seen]).toHaveLength(1);
    });

    it.each([
      ['GET', '/console/api/issuer/v1/auth/token'],
      ['PUT', '/console/api/issuer/v1/users'],
      ['PATCH', '/console/api/issuer/v1/users/alice'],
      ['POST', '/console/api/issuer/v1/auth/introspect'],
      ['GET', '/console/api/issuer/metrics'],
      ['GET', '/console/api/issuer/v1/users/../../metrics'],
      ['GET', '/console/api/issuer/v1/users/%2e%2e/%2e%2e/metrics'],
      ['DELETE', '/console/api/issuer/v1/users/..'],
      ['DELETE', '/console/api/issuer/v1/users/%2e%2e'],
      ['DELETE', '/console/api/issuer/v1/users/a%2f..%2f..%2fmetrics'],
      ['POST', '/console/api/issuer//v1/auth/token'],
      ['POST', '/console/api/issuer/v1//auth/token'],
      ['POST', '/console/api/issuer/v1/auth/token/'],
      ['POST', '/console/api/issuer/%761/auth/token'],
      ['POST', '/console/api/issuer/V1/AUTH/TOKEN'],
      ['POST', '/console/api/issuer/v1/users/alice/revoke-tokens/../../../auth/introspect'],
      ['GET', '/console/api/router/v1/routes'],
      ['GET', '/console/api/router/v1/routes/inflight'],
      ['POST', '/console/api/router/v1/models/iris/predict/../../../routes'],
      ['POST', '/console/api/router/v1/models/.%2e/predict'],
      ['POST', '/console/api/router/v1/models/iris%2fx/predict'],
      ['GET', '/console/api/router/v1/models/iris/predict'],
      ['POST', '/console/api/builder/v1/models'],
      ['GET', '/console/api/validator/v1/introspect'],
      ['GET', '/console/api/'],
    ] as const)('refuses %s %s with 404 NOT_FOUND and forwards nothing', async (method, url) => {
      const res = await sut.app.inject({ method, url, headers: { authorization: 'Bearer tok' } });

      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
      expect([...issuer.seen, ...router.seen]).toEqual([]);
    });

    it('refuses a body over the cap with 413 and forwards nothing', async () => {
      const res = await sut.app.inject({
        method: 'POST',
        url: '/console/api/router/v1/models/iris/predict',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ inputs: 'x'.repeat(5000) }),
      });

      expect(res.statusCode).toBe(413);
      expect(router.seen).toEqual([]);
    });
  });

  it("passes on the browser's address a trusted proxy in front (OpenShift's router) names", async () => {
    const issuer = await fakeUpstream();
    const builder = await startTestBuilder({
      settings: {
        MLRUN_CONSOLE_DIR: dir,
        MLRUN_ISSUER_URL: issuer.url,
        MLRUN_TRUSTED_PROXIES: '127.0.0.1',
      },
    });
    try {
      await builder.app.inject({
        method: 'POST',
        url: '/console/api/issuer/v1/auth/token',
        headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' },
        payload: 'grant_type=password',
      });

      expect(issuer.seen[0]?.headers['x-forwarded-for']).toBe('203.0.113.9');
    } finally {
      await builder.close();
      await issuer.close();
    }
  });

  it('answers 503 UPSTREAM_UNREACHABLE, naming the setting, when the issuer is down', async () => {
    const gone = await fakeUpstream();
    await gone.close();
    const builder = await startTestBuilder({
      settings: { MLRUN_CONSOLE_DIR: dir, MLRUN_ISSUER_URL: gone.url },
    });
    try {
      const res = await builder.app.inject({
        method: 'POST',
        url: '/console/api/issuer/v1/auth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=password&username=a&password=b',
      });

      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'UPSTREAM_UNREACHABLE' });
      expect(res.json().message).toMatch(/auth-issuer.*ECONNREFUSED.*MLRUN_ISSUER_URL/);
    } finally {
      await builder.close();
    }
  });
});
