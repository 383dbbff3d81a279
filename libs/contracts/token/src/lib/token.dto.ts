/**
 * `POST /v1/auth/token` request: the OAuth2 password grant (RFC 6749 §4.3), as JSON or
 * `application/x-www-form-urlencoded`.
 * @example { grant_type: 'password', username: 'ada', password: '...', scope: 'predict:iris' }
 */
export type TokenRequest = {
  grant_type: 'password';
  username: string;
  password: string;
  /** Optional down-scoping: a subset of the scopes the user's groups grant. */
  scope?: string;
};

/**
 * `POST /v1/auth/token` answer (RFC 6749 §5.1).
 * @example { access_token: 'mlr_...', token_type: 'Bearer', expires_in: 3600, scope: 'predict:*' }
 */
export type TokenResponse = {
  access_token: string;
  token_type: 'Bearer';
  /** Whole seconds until the token expires, rounded up (a 300 ms token says 1). */
  expires_in: number;
  scope: string;
};

/**
 * `POST /v1/auth/revoke` request (RFC 7009). Always answered 200, even for unknown tokens.
 * @example { token: 'mlr_...', token_type_hint: 'access_token' }
 */
export type RevocationRequest = {
  token: string;
  token_type_hint?: 'access_token';
};

/**
 * `POST /v1/tokens/introspect` request (RFC 7662 §2.1); the caller authenticates with the
 * service credential in `Authorization: Bearer`.
 * @example { token: 'mlr_...' }
 */
export type IntrospectionRequest = {
  token: string;
  token_type_hint?: 'access_token';
};

/**
 * Who ML-RUN's tokens are for (RFC 7662 `aud`): validators and wrappers refuse a token
 * recorded or answered for anyone else.
 * @example TOKEN_AUDIENCE // 'ml-run'
 */
export const TOKEN_AUDIENCE = 'ml-run';

/**
 * `POST /v1/tokens/introspect` answer (RFC 7662 §2.2). Inactive tokens say nothing else.
 * @example { active: true, sub: 'ada', scope: 'predict:iris', groups: ['publishers'], aud: 'ml-run', exp: 1764331200, iat: 1764327600, token_type: 'Bearer' }
 */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      sub: string;
      scope: string;
      /**
       * The user's groups at login (an RFC 7662 extension): who owns a model is a user or a
       * group. Absent from older validators' answers and records: read as no groups.
       */
      groups?: string[];
      /** TOKEN_AUDIENCE. */
      aud: string;
      /**
       * Seconds since the epoch (RFC 7519 NumericDate), with up to 3 decimals: lifetimes
       * may be sub-second. Compare in milliseconds, `exp * 1000 <= Date.now()`.
       */
      exp: number;
      /** Whole seconds since the epoch. */
      iat: number;
      token_type: 'Bearer';
    };
