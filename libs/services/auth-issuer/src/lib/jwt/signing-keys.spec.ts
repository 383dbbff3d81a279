import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

import { ConfigError } from '@ml-run/config';

import { generateSigningKeyPem, signingKeysOf, signingKeysOfConfig } from './signing-keys';

const publicPem = (privatePem: string) =>
  createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();

describe(signingKeysOf.name, () => {
  const current = generateSigningKeyPem();
  const next = generateSigningKeyPem();
  const previous = generateSigningKeyPem();

  it('names each key by its RFC 7638 thumbprint, the same on every replica', () => {
    const a = signingKeysOf(current);
    const b = signingKeysOf(current);
    expect(a.signing.kid).toBe(b.signing.kid);
    expect(a.jwks.keys.map((k) => k.kid)).toEqual([a.signing.kid]);
    expect(signingKeysOf(next).signing.kid).not.toBe(a.signing.kid);
  });

  it("names RFC 7517 A.1's example EC key by its thumbprint (computed apart, by Python)", () => {
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
      d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI',
    };
    const pem = createPrivatePem(jwk);
    expect(signingKeysOf(pem).signing.kid).toBe('oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U');
  });

  it('publishes the next and the previous keys beside the signing one, which alone signs', () => {
    const keys = signingKeysOf(current, `${publicPem(next)}\n${publicPem(previous)}`);
    expect(keys.jwks.keys.map((k) => k.kid)).toEqual([
      signingKeysOf(current).signing.kid,
      signingKeysOf(next).signing.kid,
      signingKeysOf(previous).signing.kid,
    ]);
    expect(keys.signing.kid).toBe(signingKeysOf(current).signing.kid);
    // Listing the signing key again publishes it once.
    expect(signingKeysOf(current, publicPem(current)).jwks.keys).toHaveLength(1);
    expect(JSON.stringify(keys.jwks)).not.toContain('"d"');
  });

  it('refuses what is not an EC P-256 key, naming the variable and how to make one', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    for (const pem of ['not a key', rsa, p384]) {
      expect(() => signingKeysOf(pem)).toThrow(ConfigError);
    }
    expect(() => signingKeysOf(p384)).toThrow(/MLRUN_TOKEN_SIGNING_KEY.*P-256.*openssl genpkey/);
    expect(() => signingKeysOf(current, 'garbage')).toThrow(/MLRUN_TOKEN_PUBLISHED_KEYS/);
  });

  it('needs a signing key for jwt, none for opaque', () => {
    expect(signingKeysOfConfig({ MLRUN_TOKEN_FORMAT: 'opaque' })).toBeUndefined();
    expect(() => signingKeysOfConfig({ MLRUN_TOKEN_FORMAT: 'jwt' })).toThrow(
      /MLRUN_TOKEN_SIGNING_KEY.*required when MLRUN_TOKEN_FORMAT=jwt/,
    );
  });
});

function createPrivatePem(jwk: Record<string, string>): string {
  return createPrivateKey({ key: jwk, format: 'jwk' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}
