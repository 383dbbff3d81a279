import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';

import type { PredictionOutcome } from '@ml-run/prediction-contract';
import { TEST_METRICS_TOKEN } from '@ml-run/server/testing';

import { routesOf, startTestRouter, type TestRouter } from '../../testing/start-test-router';
import type { ResolveHost } from './callbacks/callback-address-policy';
import { OutcomeHandler } from './outcome-handler';

const SECRET = 'a-callback-secret-of-at-least-32-characters';
const ROUTES = routesOf({
  iris: { versions: { '1.0.0': ['http://127.0.0.1:1'] } },
  fraud: { versions: { '1.0.0': ['http://127.0.0.1:1'] } },
});

type Received = { headers: IncomingMessage['headers']; body: string };

/** A loopback receiver that answers each callback with `status` (and `location`). */
async function receiver(status = 200, location?: string) {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(status, location ? { location } : {}).end();
      waiters.shift()?.();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    next: () => new Promise<void>((resolve) => waiters.push(resolve)),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

// Attackers at the asynchronous doors: a token for another model, an expired token, another
// subject fishing for someone's result, and callers steering callbacks off the allowlist.
describe('asynchronous prediction doors', () => {
  let sut: TestRouter;
  // What the test's resolver answers per host name (a name an attacker controls).
  const dns = new Map<string, string[]>();
  const resolveHost: ResolveHost = (host) => {
    const addresses = dns.get(host);
    if (addresses === undefined) return Promise.reject(new Error('ENOTFOUND'));
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };

  beforeAll(async () => {
    sut = await startTestRouter({
      routes: ROUTES,
      async: { resolveHost },
      settings: { MLRUN_CALLBACK_SECRET: SECRET, MLRUN_CALLBACK_ATTEMPTS: '2' },
    });
    const validator = sut.async?.validator;
    validator?.grant('ada-iris', 'predict:iris', 3600, 'ada');
    validator?.grant('ada-fraud', 'predict:fraud', 3600, 'ada');
    validator?.grant('bob-iris', 'predict:iris', 3600, 'bob');
    validator?.grant('ada-expired', 'predict:iris', -1, 'ada');
  });
  afterAll(() => sut.app.close());

  const accept = (token: string, model = 'iris', headers: Record<string, string> = {}) =>
    sut.app.inject({
      method: 'POST',
      url: `/v1/models/${model}/predict:async`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain', ...headers },
      payload: 'input',
    });
  const read = (token: string, id: string) =>
    sut.app.inject({
      method: 'GET',
      url: `/v1/predictions/${id}`,
      headers: { authorization: `Bearer ${token}` },
    });
  const settle = (id: string, model = 'iris') => {
    const outcome: PredictionOutcome = {
      id,
      model,
      version: '1.0.0',
      status: 'succeeded',
      output: 'secret-result',
      completedAt: new Date().toISOString(),
    };
    return sut.app.nest.get(OutcomeHandler).handle(outcome);
  };

  it('refuses a token scoped to another model with 403, and queues nothing', async () => {
    const res = await accept('ada-fraud', 'iris');
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toMatch(/insufficient_scope/);
    expect(sut.async?.bus.depth).toBe(0);
  });

  it('refuses an expired token with 401 invalid_token', async () => {
    const res = await accept('ada-expired');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/invalid_token/);
  });

  it("gives another subject the same 404 for someone's id as for an unknown one", async () => {
    const { id } = (await accept('ada-iris')).json<{ id: string }>();
    await settle(id);
    const foreign = await read('bob-iris', id);
    const unknown = await read('bob-iris', '00000000-0000-4000-8000-000000000000');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain('secret-result');
    expect({ ...foreign.json(), message: '' }).toEqual({ ...unknown.json(), message: '' });
    expect(foreign.json().code).toBe('PREDICTION_NOT_FOUND');
    expect((await read('ada-iris', id)).json()).toMatchObject({ output: 'secret-result' });
  });

  it('refuses a callback to a host outside the allowlist at acceptance', async () => {
    const literal = await accept('ada-iris', 'iris', {
      'x-mlrun-callback-url': 'http://192.0.2.7/hook',
    });
    expect(literal.statusCode).toBe(400);
    expect(literal.json().code).toBe('CALLBACK_NOT_ALLOWED');
    // A name that resolves to loopback and elsewhere could be steered elsewhere.
    dns.set('mixed.example', ['127.0.0.1', '203.0.113.9']);
    const mixed = await accept('ada-iris', 'iris', {
      'x-mlrun-callback-url': 'http://mixed.example/hook',
    });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().code).toBe('CALLBACK_NOT_ALLOWED');
    const odd = await accept('ada-iris', 'iris', { 'x-mlrun-callback-url': 'file:///etc/passwd' });
    expect(odd.json().code).toBe('INVALID_CALLBACK_URL');
  });

  it('delivers a callback to an allowed host, signed over timestamp and body', async () => {
    const hook = await receiver();
    const { id } = (await accept('ada-iris', 'iris', { 'x-mlrun-callback-url': hook.url })).json<{
      id: string;
    }>();
    const arrived = hook.next();
    await settle(id);
    await arrived;
    const [call] = hook.received;
    const signature = String(call?.headers['x-mlrun-signature']);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature) ?? [];
    const expected = createHmac('sha256', SECRET).update(`${t}.${call?.body}`).digest('hex');
    expect(v1).toBe(expected);
    expect(JSON.parse(call?.body ?? '')).toMatchObject({ id, status: 'succeeded' });
    expect(JSON.parse(call?.body ?? '')).not.toHaveProperty('subject');
    hook.close();
  });

  it('does not call back once the name resolves elsewhere (DNS rebinding)', async () => {
    const hook = await receiver();
    dns.set('rebind.example', ['127.0.0.1']);
    const url = `http://rebind.example:${hook.port}/hook`;
    const { id } = (await accept('ada-iris', 'iris', { 'x-mlrun-callback-url': url })).json<{
      id: string;
    }>();
    dns.set('rebind.example', ['203.0.113.9']);
    const given = await givenUpCount();
    await settle(id);
    await waitFor(async () => (await givenUpCount()) > given);
    expect(hook.received).toEqual([]);
    hook.close();
  });

  it('follows no redirect from a callback host, and does not retry it', async () => {
    const elsewhere = await receiver();
    const redirecting = await receiver(307, elsewhere.url);
    const { id } = (
      await accept('ada-iris', 'iris', { 'x-mlrun-callback-url': redirecting.url })
    ).json<{ id: string }>();
    const given = await givenUpCount();
    await settle(id);
    await waitFor(async () => (await givenUpCount()) > given);
    expect(redirecting.received).toHaveLength(1);
    expect(elsewhere.received).toEqual([]);
    redirecting.close();
    elsewhere.close();
  });

  async function givenUpCount(): Promise<number> {
    const text = (
      await sut.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
      })
    ).body;
    const match = /mlrun_router_async_callbacks_total\{[^}]*result="given_up"[^}]*\} (\d+)/.exec(
      text,
    );
    return Number(match?.[1] ?? 0);
  }
});

// Polls a condition the code under test will make true (no deadline: Jest's own timeout).
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}
