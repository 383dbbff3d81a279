/**
 * MLRUN_TOKEN_FORMAT: what the issuer hands out. `opaque`: 256 random bits, checked by
 * introspection. `jwt`: an ES256-signed JWT that wrappers verify themselves against the
 * issuer's JWKS (docs/architecture.md §3.14); revocation is still pushed.
 */
export const TOKEN_FORMATS = ['opaque', 'jwt'] as const;
export type TokenFormat = (typeof TOKEN_FORMATS)[number];

/**
 * The only signature algorithm issued and accepted. `jsonwebtoken` (under @nestjs/jwt) has no
 * EdDSA; a verifier pins this list, so `none` and HS256-with-the-public-key never pass.
 */
export const TOKEN_SIGNING_ALGORITHM = 'ES256';

/** `iss` of every signed token; verifiers refuse any other. */
export const TOKEN_ISSUER = 'ml-run/auth-issuer';

/**
 * Where the issuer publishes its verification keys: public (they are public keys) and
 * cacheable. Under /v1/auth/ so the proxies that reach the issuer reach it too.
 */
export const JWKS_PATH = '/v1/auth/jwks';

/**
 * The claims of a signed token: the same facts as an opaque token's record.
 * @example { sub: 'ada', scope: 'predict:iris', groups: ['publishers'], aud: 'ml-run', iss: 'ml-run/auth-issuer', iat: 1764327600.123, exp: 1764331200.123, jti: '3q2-7w...' }
 */
export type TokenClaims = {
  sub: string;
  /** Space-separated scopes (RFC 8693 §4.2), as introspection answers them. */
  scope: string;
  groups: string[];
  aud: string;
  iss: string;
  /**
   * Seconds since the epoch with up to 3 decimals (RFC 7519 NumericDate allows a fraction):
   * a user-wide revoke in the same second as a login must not catch the later token.
   */
  iat: number;
  /** Seconds since the epoch with up to 3 decimals, as opaque records: compare in ms. */
  exp: number;
  /** Unique per token: what a revocation denylists. */
  jti: string;
};

/**
 * One public key of the JWKS (RFC 7517/7518 §6.2: a P-256 key).
 * @example { kty: 'EC', crv: 'P-256', x: 'f83O...', y: 'x_FE...', kid: 'NzbL...', alg: 'ES256', use: 'sig' }
 */
export type TokenJwk = {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: typeof TOKEN_SIGNING_ALGORITHM;
  use: 'sig';
};

/**
 * `GET /v1/auth/jwks` answer: every key a live token may be signed with, the next one too.
 * @example { keys: [{ kty: 'EC', crv: 'P-256', x: '...', y: '...', kid: 'NzbL...', alg: 'ES256', use: 'sig' }] }
 */
export type TokenJwks = { keys: TokenJwk[] };

/** Whether a bearer token is a signed one (a JWS compact form: a JSON header, 3 parts). */
export function isSignedToken(token: string): boolean {
  // base64url of '{"' is 'eyJ': opaque tokens start with mlr_.
  return token.startsWith('eyJ') && token.split('.').length === 3;
}
