import { createHmac, createPublicKey } from 'node:crypto';

import { TOKEN_AUDIENCE } from '@ml-run/token-contract';

import { sign, testClaims, testKey, type TestKey } from '../../testing/signed-token-test-keys';
import { JwksKeys } from './jwks-keys';
import { SignedTokenVerifier } from './signed-token-verifier';

const T0 = Date.parse('2026-12-06T10:00:00.000Z');

function setup(published: TestKey[]) {
  const clock = { now: T0 };
  const jwks = { keys: published.map((key) => key.jwk) };
  const keys = new JwksKeys({
    fetch: async () => jwks,
    minRefreshIntervalMs: 10_000,
    maxAgeMs: 300_000,
    now: () => clock.now,
  });
  const sut = new SignedTokenVerifier(keys, () => clock.now);
  // Tokens of these specs are issued after the wrapper started hearing revocations.
  clock.now = T0 + 1000;
  return { sut, keys, clock, jwks };
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe(SignedTokenVerifier.name, () => {
  const issuer = testKey('k1');
  let ready: ReturnType<typeof setup>;

  beforeEach(async () => {
    ready = setup([issuer]);
    await ready.keys.unknownKey('k1');
  });

  it('accepts a token of a published key with its claims', () => {
    const token = sign(issuer, testClaims(ready.clock.now));
    expect(ready.sut.verify(token)).toEqual({
      kind: 'valid',
      claims: expect.objectContaining({ sub: 'ada', scope: 'predict:iris', jti: 'jti-1' }),
    });
  });

  it('refuses a token signed by another key under a published kid', () => {
    const forger = { ...testKey('k1') };
    expect(ready.sut.verify(sign(forger, testClaims(ready.clock.now)))).toEqual({
      kind: 'invalid',
    });
  });

  it('says which kid it does not know (a rotation, or a forgery)', () => {
    const token = sign(testKey('k9'), testClaims(ready.clock.now));
    expect(ready.sut.verify(token)).toEqual({ kind: 'unknown-kid', kid: 'k9' });
  });

  it('refuses alg none', () => {
    const claims = testClaims(ready.clock.now);
    const token = `${b64({ alg: 'none', typ: 'JWT', kid: 'k1' })}.${b64(claims)}.`;
    expect(ready.sut.verify(token)).toEqual({ kind: 'invalid' });
  });

  it('refuses HS256 keyed with the public key (algorithm confusion)', () => {
    const header = b64({ alg: 'HS256', typ: 'JWT', kid: 'k1' });
    const body = b64(testClaims(ready.clock.now));
    const pem = createPublicKey(issuer.privateKey).export({ type: 'spki', format: 'pem' });
    for (const secret of [pem.toString(), JSON.stringify(issuer.jwk), issuer.jwk.x]) {
      const mac = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
      expect(ready.sut.verify(`${header}.${body}.${mac}`)).toEqual({ kind: 'invalid' });
    }
  });

  it('refuses another audience, another issuer, and a token without jti', () => {
    const claims = testClaims(ready.clock.now);
    expect(ready.sut.verify(sign(issuer, { ...claims, aud: 'other' }))).toEqual({
      kind: 'invalid',
    });
    expect(ready.sut.verify(sign(issuer, { ...claims, iss: 'evil' }))).toEqual({ kind: 'invalid' });
    const noJti: Partial<typeof claims> = { ...claims };
    delete noJti.jti;
    expect(ready.sut.verify(sign(issuer, noJti))).toEqual({ kind: 'invalid' });
    expect(claims.aud).toBe(TOKEN_AUDIENCE);
  });

  it('expires to the millisecond: a 250 ms token lives 249 ms, not 1 ms more', () => {
    const token = sign(issuer, testClaims(ready.clock.now, 250));
    const issued = ready.clock.now;
    ready.clock.now = issued + 249;
    expect(ready.sut.verify(token).kind).toBe('valid');
    ready.clock.now = issued + 250;
    expect(ready.sut.verify(token)).toEqual({ kind: 'expired' });
    ready.clock.now = issued + 251;
    expect(ready.sut.verify(token)).toEqual({ kind: 'expired' });
  });

  it('refuses a denylisted jti, and only that one', () => {
    const token = sign(issuer, testClaims(ready.clock.now, 60_000, 'gone'));
    const other = sign(issuer, testClaims(ready.clock.now, 60_000, 'kept'));
    ready.sut.deny('gone', ready.clock.now + 60_000);
    expect(ready.sut.verify(token)).toEqual({ kind: 'invalid' });
    expect(ready.sut.verify(other).kind).toBe('valid');
  });

  it("refuses a user's tokens issued up to a user-wide revocation, not the next login", () => {
    const before = sign(issuer, testClaims(ready.clock.now));
    ready.sut.revokeSubject('ada', ready.clock.now);
    ready.clock.now += 1;
    const after = sign(issuer, testClaims(ready.clock.now, 60_000, 'jti-2'));
    expect(ready.sut.verify(before)).toEqual({ kind: 'invalid' });
    expect(ready.sut.verify(after).kind).toBe('valid');
  });

  it('leaves tokens issued before a gap in revocations to the validator', () => {
    const before = sign(issuer, testClaims(ready.clock.now));
    ready.clock.now += 5;
    ready.sut.gap();
    ready.clock.now += 5;
    const after = sign(issuer, testClaims(ready.clock.now, 60_000, 'jti-2'));
    expect(ready.sut.verify(before)).toEqual({ kind: 'unvouched' });
    expect(ready.sut.verify(after).kind).toBe('valid');
  });

  it('refuses garbage in every part without throwing', () => {
    for (const token of ['eyJ.a.b', 'eyJhbGciOiJFUzI1NiJ9.e30.', `${b64({ kid: 1 })}.e30.x`]) {
      expect(ready.sut.verify(token)).toEqual({ kind: 'invalid' });
    }
  });
});
