import path from 'node:path';

import {
  digestOf,
  login,
  REPO_ROOT,
  scraperHeaders,
  startAuthPlane,
  type AuthPlane,
} from '@ml-run/process-testing';

import { addGroup, addUser, removeUser, revoke } from './support/auth-plane';
import { startWrapper, waitUntilReady, type WrapperProcess } from './support/wrapper-process';

const IRIS = path.join(REPO_ROOT, 'examples/iris-python');
const SETOSA = JSON.stringify({ features: [5.1, 3.5, 1.4, 0.2] });
// Short, so the expiry test can wait it out; the validator-down test has a plane of its own
// with long-lived tokens, as a loaded machine can take longer than this between two requests.
const TOKEN_TTL_SECONDS = 10;
const ALICE = { name: 'alice', password: 'alice-password-123' };
const BOB = { name: 'bob', password: 'bob-password-12345' };

async function predictOn(wrapper: WrapperProcess, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  const response = await fetch(`${wrapper.baseUrl}/v1/predict`, {
    method: 'POST',
    headers,
    body: SETOSA,
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

async function startIrisWrapper(
  plane: AuthPlane,
  env: Record<string, string> = {},
): Promise<WrapperProcess> {
  const wrapper = await startWrapper(IRIS, {
    MLRUN_AUTH_MODE: 'bearer',
    MLRUN_VALIDATOR_URL: plane.validatorUrl,
    MLRUN_INTROSPECTION_TOKEN: plane.credentials.introspection,
    MLRUN_METRICS_TOKEN: digestOf(plane.credentials.metrics),
    ...env,
  });
  await waitUntilReady(wrapper.baseUrl);
  return wrapper;
}

describe('bearer-token authorization in embedded mode', () => {
  let plane: AuthPlane;
  let wrapper: WrapperProcess;

  const predict = (token?: string) => predictOn(wrapper, token);
  const metric = async (pattern: RegExp) => {
    const response = await fetch(`${wrapper.baseUrl}/metrics`, {
      headers: scraperHeaders(plane.credentials),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    return Number(pattern.exec(text)?.[1] ?? 0);
  };
  const validatorCalls = () =>
    metric(/^mlrun_auth_validator_calls_total\{result="active"[^}]*\} (\d+)/m);

  beforeAll(async () => {
    plane = await startAuthPlane({ MLRUN_TOKEN_TTL: String(TOKEN_TTL_SECONDS) });
    addUser(plane, ALICE.name, ALICE.password, ['predictors']);
    addGroup(plane, 'fraud-clients', ['predict:fraud']);
    addUser(plane, BOB.name, BOB.password, ['fraud-clients']);
    wrapper = await startIrisWrapper(plane);
  });
  afterAll(async () => {
    await wrapper?.stop();
    await plane?.stop();
  });

  it('lets a logged-in user predict', async () => {
    const { access_token, token_type, expires_in, scope } = await login(
      plane.issuerUrl,
      ALICE.name,
      ALICE.password,
    );
    expect({ token_type, expires_in, scope }).toEqual({
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_SECONDS,
      scope: 'predict:*',
    });
    const res = await predict(access_token);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ class: 'setosa' });
  });

  it('accepts an OAuth2 form login too', async () => {
    const { access_token } = await login(plane.issuerUrl, ALICE.name, ALICE.password, 'form');
    expect((await predict(access_token)).status).toBe(200);
  });

  it('answers 401 without a token, naming the scheme', async () => {
    const res = await predict();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="ml-run"');
  });

  it('answers 401 invalid_token for a garbage token', async () => {
    const res = await predict('not-a-real-token');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it("answers 403 insufficient_scope for another model's token", async () => {
    const { access_token } = await login(plane.issuerUrl, BOB.name, BOB.password);
    const res = await predict(access_token);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('scope="predict:iris"');
  });

  it('makes no validator calls for repeated requests with a warm L1 cache', async () => {
    const { access_token } = await login(plane.issuerUrl, ALICE.name, ALICE.password);
    expect((await predict(access_token)).status).toBe(200);
    const before = await validatorCalls();
    for (let i = 0; i < 25; i++) expect((await predict(access_token)).status).toBe(200);
    expect(await validatorCalls()).toBe(before);
  });

  it('rejects a revoked token that the wrapper had cached, within moments', async () => {
    const { access_token } = await login(plane.issuerUrl, ALICE.name, ALICE.password);
    expect((await predict(access_token)).status).toBe(200);
    expect(await revoke(plane, access_token)).toBe(200);
    const revokedAt = performance.now();
    let status = 200;
    while (status === 200 && performance.now() - revokedAt < 10_000)
      status = (await predict(access_token)).status;
    expect(status).toBe(401);
    // About 40 ms on an idle machine (the event's trip); the bound only catches a revocation
    // that never arrives, not a busy machine.
    expect(performance.now() - revokedAt).toBeLessThan(5_000);
  });

  it("refuses a removed user's token that the wrapper had cached, within moments", async () => {
    addUser(plane, 'carl', 'carl-password-123', ['predictors']);
    const { access_token } = await login(plane.issuerUrl, 'carl', 'carl-password-123');
    expect((await predict(access_token)).status).toBe(200);
    removeUser(plane, 'carl');
    const removedAt = performance.now();
    let status = 200;
    while (status === 200 && performance.now() - removedAt < 10_000)
      status = (await predict(access_token)).status;
    expect(status).toBe(401);
    // The issuer sees the users file within its 0.5 s poll, then the event's trip: about
    // 0.6 s on an idle machine. The bound only catches a change that is never noticed.
    expect(performance.now() - removedAt).toBeLessThan(5_000);
  });

  it("opens each service credential's own doors only, /metrics to the scrape credential", async () => {
    const get = (url: string, credential?: string) =>
      fetch(url, { headers: credential ? { authorization: `Bearer ${credential}` } : {} });
    const { introspection, routeTable, metrics } = plane.credentials;
    for (const base of [plane.routerUrl, plane.builderUrl, plane.issuerUrl, plane.validatorUrl]) {
      expect((await get(`${base}/metrics`)).status).toBe(401);
      expect((await get(`${base}/metrics`, introspection)).status).toBe(401);
      expect((await get(`${base}/metrics`, metrics)).status).toBe(200);
    }
    expect((await get(`${wrapper.baseUrl}/metrics`, introspection)).status).toBe(401);
    // A wrapper's credential can introspect, and nothing else: not the replica URLs.
    expect((await get(`${plane.builderUrl}/v1/routes`, introspection)).status).toBe(401);
    expect((await get(`${plane.builderUrl}/v1/routes`, routeTable)).status).toBe(200);
    expect((await get(`${plane.validatorUrl}/v1/tokens/events`, routeTable)).status).toBe(401);
  });

  it('answers 401 once a token has expired', async () => {
    const { access_token } = await login(plane.issuerUrl, ALICE.name, ALICE.password);
    expect((await predict(access_token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, TOKEN_TTL_SECONDS * 1000 + 200));
    const res = await predict(access_token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});

describe('a wrapper whose token-validator is down', () => {
  let plane: AuthPlane;
  let wrapper: WrapperProcess;

  beforeAll(async () => {
    // Tokens that outlive any stall of a loaded machine: here the cached one must not expire.
    plane = await startAuthPlane({ MLRUN_TOKEN_TTL: '600' });
    addUser(plane, ALICE.name, ALICE.password, ['predictors']);
    wrapper = await startIrisWrapper(plane);
  });
  afterAll(async () => {
    await wrapper?.stop();
    await plane?.stop();
  });

  it('keeps serving cached tokens and refuses new ones with 503', async () => {
    const cached = (await login(plane.issuerUrl, ALICE.name, ALICE.password)).access_token;
    const unseen = (await login(plane.issuerUrl, ALICE.name, ALICE.password)).access_token;
    expect((await predictOn(wrapper, cached)).status).toBe(200);
    await plane.stop();
    expect((await predictOn(wrapper, cached)).status).toBe(200);
    const res = await predictOn(wrapper, unseen);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(res.body)).toMatchObject({ code: 'AUTH_UNAVAILABLE' });
  });
});

describe('a sub-second token lifetime (MLRUN_TOKEN_TTL=300ms)', () => {
  let plane: AuthPlane;
  let wrapper: WrapperProcess;

  const introspect = async (token: string) => {
    const response = await fetch(`${plane.validatorUrl}/v1/tokens/introspect`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${plane.credentials.introspection}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ token }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { active: boolean; exp?: number; iat?: number };
  };

  beforeAll(async () => {
    // Tokens outlive the wrapper's L1 TTL here too: both in milliseconds.
    plane = await startAuthPlane({ MLRUN_TOKEN_TTL: '300ms' });
    addUser(plane, ALICE.name, ALICE.password, ['predictors']);
    wrapper = await startIrisWrapper(plane, { MLRUN_L1_TTL: '250ms' });
  });
  afterAll(async () => {
    await wrapper?.stop();
    await plane?.stop();
  });

  // Logs in and introspects until the validator sees the token live: a loaded machine can
  // take longer than 300 ms between the two, and then the answer has no times to check.
  const liveAnswer = async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const loginStarted = Date.now();
      const { access_token, expires_in } = await login(plane.issuerUrl, ALICE.name, ALICE.password);
      const loggedIn = Date.now();
      const answer = await introspect(access_token);
      if (answer.active) {
        const { exp = 0, iat = 0 } = answer;
        return { access_token, expires_in, exp, iat, loginStarted, loggedIn };
      }
    }
    throw new Error('no 300 ms token was still live at its introspection, in 10 logins');
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

  it('answers expires_in 1 and an exp 300 ms after the issue, then inactive', async () => {
    const { access_token, expires_in, exp, iat, loginStarted, loggedIn } = await liveAnswer();
    expect(expires_in).toBe(1); // whole seconds, rounded up
    // iat is whole seconds, exp has milliseconds: exp - 300 ms falls in iat's second...
    expect(exp - iat).toBeGreaterThanOrEqual(0.3);
    expect(exp - iat).toBeLessThan(1.3);
    expect(Math.floor((exp * 1000 - 300) / 1000)).toBe(iat);
    // ...and the token was issued during the login call (bounds, however slow the machine).
    expect(exp * 1000 - 300).toBeGreaterThanOrEqual(loginStarted);
    expect(exp * 1000 - 300).toBeLessThanOrEqual(loggedIn);
    // Asserted only once exp has passed.
    await sleep(exp * 1000 - Date.now() + 50);
    expect(await introspect(access_token)).toEqual({ active: false });
  });

  it('has the wrapper answer 401 once a token it cached has expired', async () => {
    const { access_token } = await login(plane.issuerUrl, ALICE.name, ALICE.password);
    const issuedBy = Date.now(); // the token was issued before this, so expires by +300 ms
    // Fills the wrapper's L1 when the token is still live; a slow machine may already see 401.
    expect([200, 401]).toContain((await predictOn(wrapper, access_token)).status);
    await sleep(issuedBy + 300 - Date.now() + 50);
    const res = await predictOn(wrapper, access_token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});

// MLRUN_TOKEN_FORMAT=jwt end to end: the embedded issuer signs with a key of this start,
// the wrapper verifies with its JWKS, revocations still reach it.
describe('signed tokens (MLRUN_TOKEN_FORMAT=jwt)', () => {
  let plane: AuthPlane;
  let wrapper: WrapperProcess;

  const predict = (token?: string) => predictOn(wrapper, token);
  const validatorCalls = async () => {
    const response = await fetch(`${wrapper.baseUrl}/metrics`, {
      headers: scraperHeaders(plane.credentials),
    });
    const text = await response.text();
    let calls = 0;
    for (const match of text.matchAll(/^mlrun_auth_validator_calls_total\{[^}]*\} (\d+)/gm))
      calls += Number(match[1]);
    return calls;
  };
  const refusedWithin = async (token: string, ms: number) => {
    const since = performance.now();
    let status = 200;
    while (status === 200 && performance.now() - since < ms) status = (await predict(token)).status;
    return status;
  };

  beforeAll(async () => {
    plane = await startAuthPlane({ MLRUN_TOKEN_FORMAT: 'jwt', MLRUN_TOKEN_TTL: '1h' });
    addUser(plane, ALICE.name, ALICE.password, ['predictors']);
    addGroup(plane, 'fraud-clients', ['predict:fraud']);
    addUser(plane, BOB.name, BOB.password, ['fraud-clients']);
    wrapper = await startIrisWrapper(plane, {
      MLRUN_TOKEN_JWKS_URL: `${plane.issuerUrl}/v1/auth/jwks`,
    });
  });
  afterAll(async () => {
    await wrapper?.stop();
    await plane?.stop();
  });

  it('publishes the JWKS and issues an ES256 token of its kid', async () => {
    const jwks = (await (await fetch(`${plane.issuerUrl}/v1/auth/jwks`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys).toHaveLength(1);
    const { access_token } = await login(plane.issuerUrl, ALICE.name, ALICE.password);
    const header = JSON.parse(
      Buffer.from(access_token.split('.')[0] ?? '', 'base64url').toString(),
    );
    expect(header).toEqual({ alg: 'ES256', typ: 'JWT', kid: jwks.keys[0]?.kid });
  });

  it("serves a token's first request without a validator call", async () => {
    const { access_token } = await login(plane.issuerUrl, ALICE.name, ALICE.password);
    const before = await validatorCalls();
    expect((await predict(access_token)).status).toBe(200);
    expect(await validatorCalls()).toBe(before);
  });

  it("answers 403 insufficient_scope for another model's token", async () => {
    const { access_token } = await login(plane.issuerUrl, BOB.name, BOB.password);
    const res = await predict(access_token);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('refuses a revoked token within moments', async () => {
    const { access_token } = await login(plane.issuerUrl, ALICE.name, ALICE.password);
    expect((await predict(access_token)).status).toBe(200);
    expect(await revoke(plane, access_token)).toBe(200);
    expect(await refusedWithin(access_token, 10_000)).toBe(401);
  });

  it("refuses a removed user's token within moments", async () => {
    addUser(plane, 'carl', 'carl-password-123', ['predictors']);
    const { access_token } = await login(plane.issuerUrl, 'carl', 'carl-password-123');
    expect((await predict(access_token)).status).toBe(200);
    removeUser(plane, 'carl');
    expect(await refusedWithin(access_token, 10_000)).toBe(401);
  });
});
