// Test-only: a small issuer for the specs of this folder (keys, JWKS, signed tokens).
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';

import {
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type TokenClaims,
  type TokenJwk,
} from '@ml-run/token-contract';

export type TestKey = { kid: string; privateKey: KeyObject; jwk: TokenJwk };

export function testKey(kid: string): TestKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = createPublicKey(privateKey).export({ format: 'jwk' }) as {
    x: string;
    y: string;
  };
  return { kid, privateKey, jwk: { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' } };
}

/** Claims of a token of `ttlMs` issued at `iatMs`, for ada with predict:iris. */
export function testClaims(iatMs: number, ttlMs = 60_000, jti = 'jti-1'): TokenClaims {
  return {
    sub: 'ada',
    scope: 'predict:iris',
    groups: ['data-team'],
    aud: TOKEN_AUDIENCE,
    iss: TOKEN_ISSUER,
    iat: iatMs / 1000,
    exp: (iatMs + ttlMs) / 1000,
    jti,
  };
}

export function sign(key: TestKey, claims: object): string {
  return new JwtService().sign(claims, {
    privateKey: key.privateKey,
    algorithm: 'ES256',
    keyid: key.kid,
  });
}
