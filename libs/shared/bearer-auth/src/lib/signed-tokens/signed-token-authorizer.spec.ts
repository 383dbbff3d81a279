import { Registry } from 'prom-client';

import { AuthErrorCode, type IntrospectionResponse, type TokenJwks } from '@ml-run/token-contract';

import { sign, testClaims, testKey } from '../../testing/signed-token-test-keys';
import { AuthorizationError, authorizationReply } from '../authorization.errors';
import { AuthorizationMetrics } from '../authorization.metrics';
import { L1TokenCache } from '../l1-token-cache';
import type { RevocationFeed } from '../revocation-feed';
import { RevocationListener } from '../revocation-listener';
import { TokenAuthorizer } from '../token-authorizer.service';
import type { ValidatorClient } from '../validator-client';
import { JwksKeys } from './jwks-keys';
import { SignedTokenVerifier } from './signed-token-verifier';

// The wrapper's side of MLRUN_TOKEN_FORMAT=jwt, through TokenAuthorizer and the revocation feed.
function setup(l1MaxEntries = 100) {
  const introspected: string[] = [];
  const validator = {
    introspect: async (token: string): Promise<IntrospectionResponse> => {
      introspected.push(token);
      return { active: false };
    },
  };
  const issuer = { jwks: { keys: [] } as TokenJwks, fetches: 0, down: false };
  // The JWKS refresh interval runs on this clock; token lifetimes on the real one.
  const keysClock = { now: 0 };
  const keys = new JwksKeys({
    now: () => keysClock.now,
    fetch: async () => {
      issuer.fetches++;
      if (issuer.down) throw new Error('connection refused');
      return structuredClone(issuer.jwks);
    },
    minRefreshIntervalMs: 10_000,
    maxAgeMs: 300_000,
  });
  const verifier = new SignedTokenVerifier(keys);
  const cache = new L1TokenCache({ maxEntries: l1MaxEntries, ttlMs: 60_000, negativeTtlMs: 2_000 });
  const metrics = new AuthorizationMetrics(new Registry(), cache);
  const sut = new TokenAuthorizer(
    cache,
    validator as unknown as ValidatorClient,
    metrics,
    verifier,
  );
  let push: Parameters<RevocationFeed['subscribe']>[1] = () => undefined;
  const feed: RevocationFeed = {
    subscribe: (_topic, handler) => {
      push = handler;
      return () => undefined;
    },
  };
  new RevocationListener(feed, cache, metrics, verifier).onApplicationBootstrap();
  const check = (token: string, scope = 'predict:iris') =>
    Promise.resolve().then(() => sut.authorize(`Bearer ${token}`, '/v1/predict', scope));
  const push_ = (event: object) => push(event as never);
  return { sut, issuer, introspected, check, keys, keysClock, push: push_ };
}

/** The RFC 6750 answer a refused request gets. */
async function refusal(check: Promise<unknown>) {
  const error = await check.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthorizationError)) throw new Error(`not refused: ${String(error)}`);
  return authorizationReply(error);
}

const invalidToken = {
  status: 401,
  code: AuthErrorCode.InvalidToken,
  headers: { 'www-authenticate': expect.stringContaining('error="invalid_token"') },
};

// Issued a little after the wrapper started listening for revocations.
const issuedNow = (jti = 'jti-1', ttlMs = 60_000) => testClaims(Date.now() + 1, ttlMs, jti);

describe('TokenAuthorizer with signed tokens', () => {
  const k1 = testKey('k1');

  it("admits a token's first request without asking the validator", async () => {
    const { issuer, check, introspected } = setup();
    issuer.jwks.keys = [k1.jwk];
    await expect(check(sign(k1, issuedNow()))).resolves.toMatchObject({
      sub: 'ada',
      scopes: ['predict:iris'],
      groups: ['data-team'],
    });
    expect(introspected).toEqual([]);
  });

  it("refuses a token for another model's scope with insufficient_scope", async () => {
    const { issuer, check } = setup();
    issuer.jwks.keys = [k1.jwk];
    await expect(refusal(check(sign(k1, issuedNow()), 'predict:wine'))).resolves.toMatchObject({
      status: 403,
      code: AuthErrorCode.InsufficientScope,
      headers: { 'www-authenticate': expect.stringContaining('error="insufficient_scope"') },
    });
  });

  it('refuses a token of a key the issuer does not publish with invalid_token', async () => {
    const { issuer, check, introspected } = setup();
    issuer.jwks.keys = [k1.jwk];
    await expect(refusal(check(sign(testKey('k1'), issuedNow())))).resolves.toMatchObject(
      invalidToken,
    );
    await expect(refusal(check(sign(testKey('k2'), issuedNow())))).resolves.toMatchObject(
      invalidToken,
    );
    expect(introspected).toEqual([]);
  });

  it('refuses a token revoked by jti, also without its L1 entry', async () => {
    // No L1: every request is checked here, so only the denylist can refuse it.
    const { issuer, check, push } = setup(0);
    issuer.jwks.keys = [k1.jwk];
    const token = sign(k1, issuedNow('gone'));
    await check(token);
    push({
      type: 'token.revoked',
      tokenHash: 'not-this-wrappers-business',
      sub: 'ada',
      revokedAt: new Date().toISOString(),
      jti: 'gone',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await expect(refusal(check(token))).resolves.toMatchObject(invalidToken);
    await expect(check(sign(k1, issuedNow('kept')))).resolves.toMatchObject({ sub: 'ada' });
  });

  it("refuses a user's tokens after a user-wide revocation, not a later login", async () => {
    const { issuer, check, push } = setup();
    issuer.jwks.keys = [k1.jwk];
    const token = sign(k1, issuedNow());
    const notBefore = testClaims(Date.now() + 2).iat * 1000;
    push({ type: 'user.tokens-revoked', sub: 'ada', notBefore: new Date(notBefore).toISOString() });
    await expect(refusal(check(token))).resolves.toMatchObject(invalidToken);
    const later = sign(k1, testClaims(notBefore + 1, 60_000, 'jti-2'));
    await expect(check(later)).resolves.toMatchObject({ sub: 'ada' });
  });

  it('asks the validator about tokens issued before a gap in revocations', async () => {
    const { issuer, check, introspected } = setup();
    issuer.jwks.keys = [k1.jwk];
    const old = sign(k1, testClaims(Date.now() - 5000));
    await expect(check(old)).rejects.toMatchObject({ code: AuthErrorCode.InvalidToken });
    expect(introspected).toEqual([old]);
  });

  it('answers 503 when the keys cannot be read, and admits once they can', async () => {
    const { issuer, check, keysClock } = setup();
    issuer.jwks.keys = [k1.jwk];
    issuer.down = true;
    const token = sign(k1, issuedNow());
    await expect(refusal(check(token))).resolves.toMatchObject({
      status: 503,
      code: AuthErrorCode.AuthUnavailable,
    });
    issuer.down = false;
    keysClock.now += 10_000;
    await expect(check(token)).resolves.toMatchObject({ sub: 'ada' });
  });

  it('rotates keys without refusing a live token', async () => {
    const { issuer, check, keys, keysClock } = setup();
    const k2 = testKey('k2');
    // 1. k1 signs; 2. k2 is published before it signs; 3. k2 signs, k1 stays published
    // until its last token expires; 4. k1 leaves.
    issuer.jwks.keys = [k1.jwk];
    const byK1 = sign(k1, issuedNow('by-k1'));
    await expect(check(byK1)).resolves.toMatchObject({ sub: 'ada' });
    issuer.jwks.keys = [k1.jwk, k2.jwk];
    keysClock.now += 60_000;
    issuer.jwks.keys = [k2.jwk, k1.jwk];
    const byK2 = sign(k2, issuedNow('by-k2'));
    // The wrapper last read the JWKS before k2 existed: k2's kid makes it read it again.
    await expect(check(byK2)).resolves.toMatchObject({ sub: 'ada' });
    await expect(check(byK1)).resolves.toMatchObject({ sub: 'ada' });
    await expect(check(sign(k1, issuedNow('k1-tail')))).resolves.toMatchObject({ sub: 'ada' });
    expect(issuer.fetches).toBe(2);
    issuer.jwks.keys = [k2.jwk];
    keysClock.now += 300_000;
    // A JWKS older than its max age is read again behind the next lookup.
    await check(sign(k2, issuedNow('by-k2-later')));
    await expect(keys.unknownKey('k1')).resolves.toBeUndefined();
    expect(issuer.fetches).toBe(3);
    await expect(refusal(check(sign(k1, issuedNow('k1-late'))))).resolves.toMatchObject(
      invalidToken,
    );
  });

  it('reads the JWKS again for an unknown kid at most once per interval', async () => {
    const { issuer, check, keysClock } = setup();
    issuer.jwks.keys = [k1.jwk];
    await check(sign(k1, issuedNow()));
    keysClock.now += 10_000;
    for (let i = 0; i < 5; i++) {
      await expect(check(sign(testKey(`forged-${i}`), issuedNow(`f${i}`)))).rejects.toMatchObject({
        code: AuthErrorCode.InvalidToken,
      });
    }
    expect(issuer.fetches).toBe(2);
  });
});
