import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { FakeValidator, sign, testClaims, testKey } from '@ml-run/bearer-auth/testing';
import { MemoryEventBus } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';
import { TEST_CREDENTIALS, TEST_METRICS_TOKEN } from '@ml-run/server/testing';
import { credentialDigest, JWKS_PATH, TOKEN_EVENTS_TOPIC, tokenHash } from '@ml-run/token-contract';

import { FIXTURES, startTestWrapper } from '../../testing/start-test-wrapper';

const MODEL = 'slow-init';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

// A replica given MLRUN_TOKEN_JWKS_URL, at its predict door, by someone holding a signed
// token that should not open it: forged, confused, for someone else, expired, revoked, or
// for another model. Each gets the RFC 6750 answer an opaque token would, and the validator
// is never asked (every token here is issued after the replica started).
describe('model-wrapper with signed tokens', () => {
  const issuer = testKey('k1');
  const validator = new FakeValidator(TEST_CREDENTIALS.introspection);
  const events = new MemoryEventBus();
  let jwks: Server;
  let sut: ServiceApp;

  const claims = (extra: object = {}) => ({
    ...testClaims(Date.now(), 60_000, `jti-${Math.random()}`),
    scope: `predict:${MODEL}`,
    ...extra,
  });
  const predict = (token: string) =>
    sut.inject({
      method: 'POST',
      url: '/v1/predict',
      payload: 'hello',
      headers: { authorization: `Bearer ${token}` },
    });
  const refused = async (token: string, status = 401, error = 'invalid_token') => {
    const res = await predict(token);
    expect({ status: res.statusCode, challenge: res.headers['www-authenticate'] }).toEqual({
      status,
      challenge: expect.stringContaining(`error="${error}"`),
    });
  };

  beforeAll(async () => {
    jwks = createServer((_, res) => res.end(JSON.stringify({ keys: [issuer.jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    const wrapper = await startTestWrapper(
      path.join(FIXTURES, 'node/slow-init'),
      {
        MLRUN_AUTH_MODE: 'bearer',
        MLRUN_VALIDATOR_URL: await validator.start(),
        MLRUN_INTROSPECTION_TOKEN: TEST_CREDENTIALS.introspection,
        MLRUN_METRICS_TOKEN: credentialDigest(TEST_METRICS_TOKEN),
        MLRUN_TOKEN_JWKS_URL: `http://127.0.0.1:${port}${JWKS_PATH}`,
      },
      { events },
    );
    await wrapper.initialized;
    sut = wrapper.app;
  });
  afterAll(async () => {
    await sut.close();
    await validator.stop();
    await new Promise((resolve) => jwks.close(resolve));
  });
  afterEach(() => expect(validator.calls).toBe(0));

  it('serves a good token without asking the validator, so the refusals below can fail', async () => {
    expect((await predict(sign(issuer, claims()))).statusCode).toBe(200);
  });

  it('refuses a token signed by another key, under a published kid or another', async () => {
    await refused(sign(testKey('k1'), claims()));
    await refused(sign(testKey('k2'), claims()));
  });

  it('refuses alg none and HS256 keyed with the public key', async () => {
    const body = b64(claims());
    await refused(`${b64({ alg: 'none', typ: 'JWT', kid: 'k1' })}.${body}.`);
    const header = b64({ alg: 'HS256', typ: 'JWT', kid: 'k1' });
    const mac = createHmac('sha256', JSON.stringify(issuer.jwk))
      .update(`${header}.${body}`)
      .digest('base64url');
    await refused(`${header}.${body}.${mac}`);
  });

  it('refuses another audience and a token expired 1 ms before the request', async () => {
    await refused(sign(issuer, claims({ aud: 'someone-else' })));
    const now = Date.now();
    await refused(sign(issuer, claims({ iat: (now - 1000) / 1000, exp: (now - 1) / 1000 })));
  });

  it('refuses a revoked jti', async () => {
    const jti = 'revoked-jti';
    const token = sign(issuer, claims({ jti }));
    expect((await predict(token)).statusCode).toBe(200);
    await events.publish(TOKEN_EVENTS_TOPIC, {
      type: 'token.revoked',
      tokenHash: tokenHash(token),
      sub: 'ada',
      revokedAt: new Date().toISOString(),
      jti,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await refused(token);
    // The jti, not only this string: ES256 signatures differ each time, so the same claims
    // signed again are another L1 entry, which only the denylist refuses.
    await refused(sign(issuer, claims({ jti })));
  });

  it("refuses a token for another model's scope with insufficient_scope", async () => {
    await refused(sign(issuer, claims({ scope: 'predict:iris' })), 403, 'insufficient_scope');
  });
});
