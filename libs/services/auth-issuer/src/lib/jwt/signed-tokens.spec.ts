import { createPublicKey, verify } from 'node:crypto';

import { loadConfig } from '@ml-run/config';
import { MemoryEventBus } from '@ml-run/event-bus';
import {
  TOKEN_AUDIENCE,
  TOKEN_EVENTS_TOPIC,
  TOKEN_ISSUER,
  tokenHash,
  type TokenClaims,
  type TokenEvent,
  type TokenJwks,
} from '@ml-run/token-contract';
import { MemoryTokenStore } from '@ml-run/token-store';

import { ADA_PASSWORD, startTestIssuer, type TestIssuer } from '../../testing/start-test-issuer';
import { authIssuerConfigShape } from '../auth-issuer.config';
import { createAuthIssuerApp } from '../create-auth-issuer-app';
import { generateSigningKeyPem } from './signing-keys';

const part = (token: string, index: number) =>
  JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString());

// MLRUN_TOKEN_FORMAT=jwt at the issuer's HTTP doors.
describe('signed tokens (MLRUN_TOKEN_FORMAT=jwt)', () => {
  let issuer: TestIssuer;
  const events: TokenEvent[] = [];

  const login = async () => {
    const res = await issuer.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { grant_type: 'password', username: 'ada', password: ADA_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    return res.json<{ access_token: string; expires_in: number }>();
  };
  const jwks = async () => (await issuer.app.inject({ url: '/v1/auth/jwks' })).json<TokenJwks>();

  beforeAll(async () => {
    issuer = await startTestIssuer({
      MLRUN_TOKEN_FORMAT: 'jwt',
      MLRUN_TOKEN_SIGNING_KEY: generateSigningKeyPem(),
      // Sub-second: the lifetime must survive to the millisecond.
      MLRUN_TOKEN_TTL: '250ms',
    });
    issuer.bus.subscribe<TokenEvent>(TOKEN_EVENTS_TOPIC, (e) => void events.push(e));
  });
  afterAll(() => issuer.close());

  it('publishes the signing key in a public, cacheable JWKS', async () => {
    const res = await issuer.app.inject({ url: '/v1/auth/jwks' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.json()).toEqual({
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          x: expect.any(String),
          y: expect.any(String),
          kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          alg: 'ES256',
          use: 'sig',
        },
      ],
    });
  });

  it('issues an ES256 token of that kid with the claims and millisecond lifetime of a record', async () => {
    const { access_token: token, expires_in } = await login();
    const [key] = (await jwks()).keys;
    expect(part(token, 0)).toEqual({ alg: 'ES256', typ: 'JWT', kid: key?.kid });
    const claims = part(token, 1) as TokenClaims;
    expect(claims).toEqual({
      sub: 'ada',
      scope: 'models:write:* predict:*',
      groups: ['publishers'],
      aud: TOKEN_AUDIENCE,
      iss: TOKEN_ISSUER,
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
    expect(Math.round(claims.exp * 1000) - Math.round(claims.iat * 1000)).toBe(250);
    expect(expires_in).toBe(1);
    const [header, body, signature] = token.split('.') as [string, string, string];
    const publicKey = createPublicKey({ key: { ...key }, format: 'jwk' });
    const signed = Buffer.from(`${header}.${body}`);
    const raw = Buffer.from(signature, 'base64url');
    expect(verify('sha256', signed, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
    // The record keeps introspection and revocation alike for both formats.
    await expect(issuer.tokenStore.get(tokenHash(token))).resolves.toMatchObject({
      sub: 'ada',
      exp: claims.exp,
    });
  });

  it('gives each token its own jti', async () => {
    const jtis = new Set<string>();
    for (let i = 0; i < 3; i++) jtis.add(part((await login()).access_token, 1).jti);
    expect(jtis.size).toBe(3);
  });

  it("announces a revoked token's jti and exact expiry", async () => {
    // Long enough to be revoked while alive on a loaded machine.
    const slow = await startTestIssuer({
      MLRUN_TOKEN_FORMAT: 'jwt',
      MLRUN_TOKEN_SIGNING_KEY: generateSigningKeyPem(),
      MLRUN_TOKEN_TTL: '1h',
    });
    try {
      const seen: TokenEvent[] = [];
      slow.bus.subscribe<TokenEvent>(TOKEN_EVENTS_TOPIC, (e) => void seen.push(e));
      const res = await slow.app.inject({
        method: 'POST',
        url: '/v1/auth/token',
        payload: { grant_type: 'password', username: 'ada', password: ADA_PASSWORD },
      });
      const token = res.json<{ access_token: string }>().access_token;
      const claims = part(token, 1) as TokenClaims;
      await slow.app.inject({ method: 'POST', url: '/v1/auth/revoke', payload: { token } });
      expect(seen).toEqual([
        expect.objectContaining({
          type: 'token.revoked',
          tokenHash: tokenHash(token),
          jti: claims.jti,
          expiresAt: new Date(Math.round(claims.exp * 1000)).toISOString(),
        }),
      ]);
    } finally {
      await slow.close();
    }
  });
});

describe('an issuer told to sign without a key', () => {
  it('does not start, and names the variable to set', async () => {
    const config = loadConfig(authIssuerConfigShape, { MLRUN_TOKEN_FORMAT: 'jwt' });
    const adapters = { tokenStore: new MemoryTokenStore(), events: new MemoryEventBus() };
    // Refused before anything opens: no users file, outbox or port to clean up after.
    await expect(
      createAuthIssuerApp(config, adapters).finally(() => adapters.tokenStore.close()),
    ).rejects.toMatchObject({
      issues: [
        {
          variable: 'MLRUN_TOKEN_SIGNING_KEY',
          message: expect.stringContaining('is required when MLRUN_TOKEN_FORMAT=jwt'),
        },
      ],
    });
  });
});

describe('the JWKS with opaque tokens', () => {
  it('publishes no key', async () => {
    const issuer = await startTestIssuer();
    try {
      const res = await issuer.app.inject({ url: '/v1/auth/jwks' });
      expect(res.json()).toEqual({ keys: [] });
    } finally {
      await issuer.close();
    }
  });
});
