import { connect } from 'node:net';
import Fastify from 'fastify';

import { ServiceCredentials } from '@ml-run/token-contract';

import { bindAccessRules, serviceCallerOf, type RouteAccess } from './access-control';
import type { AccessEnforcer } from './access-enforcer.port';
import { ACCESS_CONFIG_KEY, type AccessRule } from './access-rule';

const config = (...rules: AccessRule[]) => ({ [ACCESS_CONFIG_KEY]: rules });

describe(bindAccessRules.name, () => {
  const admitted: string[] = [];
  const enforcer: AccessEnforcer = {
    admit: (rules, request) => {
      if (request.headers.authorization !== 'Bearer ok') throw new Error('refused');
      admitted.push(`${rules[0]?.kind} ${request.url}`);
    },
  };

  it('checks the rules of the route Fastify matched, whatever spelling was sent', async () => {
    const sut = Fastify();
    const table: RouteAccess[] = [];
    bindAccessRules(sut, enforcer, table);
    sut.post('/v1/predict', { config: config({ kind: 'token' }) }, async () => 'predicted');
    sut.get('/healthz', { config: config({ kind: 'public' }) }, async () => 'ok');
    for (const url of ['/v1/predict', '/v1/%70redict', '/%761/predict']) {
      expect((await sut.inject({ method: 'POST', url })).statusCode).toBe(500);
      const ok = await sut.inject({ method: 'POST', url, headers: { authorization: 'Bearer ok' } });
      expect(ok.body).toBe('predicted');
    }
    expect((await sut.inject({ method: 'GET', url: '/healthz' })).body).toBe('ok');
    expect(admitted).toEqual(['token /v1/predict', 'token /v1/%70redict', 'token /%761/predict']);
    expect(table.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v1/predict',
      'GET /healthz',
      'HEAD /healthz',
    ]);
  });

  it.each([
    [
      'throws',
      (): void => {
        throw new Error('refused');
      },
    ],
    ['rejects', (): Promise<void> => Promise.reject(new Error('refused'))],
  ])(
    'closes the connection of a refused caller whose enforcer %s, without waiting for the body',
    async (_how, admit) => {
      const sut = Fastify();
      bindAccessRules(sut, { admit }, []);
      sut.post('/v1/upload', { config: config({ kind: 'token' }) }, async () => 'stored');
      await sut.listen({ host: '127.0.0.1', port: 0 });
      try {
        const { port } = sut.server.address() as { port: number };
        const socket = connect(port, '127.0.0.1');
        const received: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => received.push(chunk));
        const closed = new Promise((resolve) => socket.on('close', resolve));
        // Ten bytes of a promised megabyte, and then nothing: only the refusal can end this.
        socket.write(
          'POST /v1/upload HTTP/1.1\r\nhost: x\r\ncontent-length: 1048576\r\n\r\n0123456789',
        );
        await closed;
        const answer = Buffer.concat(received).toString('latin1');
        expect(answer).toMatch(/^HTTP\/1\.1 500 /);
        expect(answer.toLowerCase()).toContain('connection: close');
      } finally {
        await sut.close();
      }
    },
  );

  it('refuses to register a route that declares no rule', () => {
    const sut = Fastify();
    bindAccessRules(sut, enforcer, []);
    expect(() => sut.get('/v1/secret', async () => 'leak')).toThrow(
      'route GET /v1/secret declares no access rule',
    );
  });

  it('refuses a token route when the service has no enforcer to check it', () => {
    const sut = Fastify();
    bindAccessRules(sut, undefined, []);
    expect(() =>
      sut.get(
        '/v1/routes',
        { config: config({ kind: 'service', role: 'route-table' }, { kind: 'token' }) },
        async () => '{}',
      ),
    ).toThrow('needs service credential (route-table) or any valid bearer token');
  });

  it("checks service rules itself: a role's credential, on the matched route, and no other", async () => {
    const sut = Fastify();
    const credentials = new ServiceCredentials({
      'route-table': 'route-table-credential-0123456789abcdef',
      metrics: 'metrics-credential-0123456789abcdef0123',
    });
    bindAccessRules(sut, undefined, [], credentials);
    sut.get(
      '/v1/routes',
      { config: config({ kind: 'service', role: 'route-table' }) },
      async (request) => serviceCallerOf(request),
    );
    const get = (url: string, credential: string) =>
      sut.inject({ method: 'GET', url, headers: { authorization: `Bearer ${credential}` } });
    expect((await get('/v1/r%6futes', 'route-table-credential-0123456789abcdef')).body).toBe(
      'route-table',
    );
    const refused = await get('/v1/routes', 'metrics-credential-0123456789abcdef0123');
    expect(refused.statusCode).toBe(500); // a bare Fastify has no error filter to map it
    expect(refused.body).toContain('not the one this door checks (route-table)');
  });

  it('treats the OpenAPI document as public', async () => {
    const sut = Fastify();
    bindAccessRules(sut, undefined, []);
    sut.get('/docs/json', async () => '{}');
    expect((await sut.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
  });
});
