import { Inject, Injectable, Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

import {
  AuthErrorCode,
  isSignedToken,
  parseScopes,
  scopeAllows,
  TOKEN_AUDIENCE,
  tokenHash,
  tokenLogId,
} from '@ml-run/token-contract';

import { AuthorizationError } from './authorization.errors';
import { AuthorizationMetrics } from './authorization.metrics';
import { readBearerHeader, tokenInUrl } from './bearer-header';
import { L1TokenCache, type CachedAnswer, type CacheLookup } from './l1-token-cache';
import type { SignedTokenVerifier, Verified } from './signed-tokens/signed-token-verifier';
import { SIGNED_TOKENS } from './signed-tokens/signed-tokens.provider';
import { ValidatorClient, ValidatorUnavailableError } from './validator-client';

/**
 * Who called: logged and counted with every prediction; its scopes and groups let a service
 * decide per resource (the builder: per model, and whether the caller owns it).
 */
export type Principal = {
  sub: string;
  tokenId: string;
  scopes: readonly string[];
  groups: readonly string[];
};

/** A token as a connection presented it, and the last answer that admitted it. */
type Presented = {
  header: string;
  token: string;
  hash: string;
  admitted?: {
    answer: CachedAnswer;
    scope: string | undefined;
    expiresAt: number;
    principal: Principal;
  };
};

/**
 * docs/architecture.md §3: L1 hit → pass at once; miss → one validator call per token however many
 * requests wait on it; validator down → known unexpired tokens pass, unknown ones get 503.
 * A signed token (MLRUN_TOKEN_FORMAT=jwt) is verified here on a miss, without the validator.
 */
@Injectable()
export class TokenAuthorizer {
  private readonly logger = new Logger(TokenAuthorizer.name);
  // One validator call per token however many requests wait on it: lru-cache's fetch()
  // joins a call in flight. Answers are L1's (fresh, stale, revoked: a revocation during a
  // call wins there); what a call leaves here is never served (every fetch forces a call
  // unless one is running), only bounded.
  private readonly calls = new LRUCache<string, CachedAnswer, string>({
    max: 10_000,
    fetchMethod: (hash, _previous, { context: token }) => this.introspect(hash, token),
    // A call pushed out of the bound by a flood of other tokens still answers its waiters.
    ignoreFetchAbort: true,
  });
  // A keep-alive connection sends the same header request after request: what it presented
  // and was told is kept with the connection (and dies with it), so a warm L1 hit costs no
  // header parsing, no SHA-256 and no new Principal while L1 holds the same answer.
  private readonly connections = new WeakMap<object, Presented>();

  constructor(
    private readonly cache: L1TokenCache,
    private readonly validator: ValidatorClient,
    private readonly metrics: AuthorizationMetrics,
    @Inject(SIGNED_TOKENS) private readonly signed: SignedTokenVerifier | null,
  ) {}

  /**
   * Synchronous on an L1 hit (no promise on the hot path); a promise when the validator
   * must be asked. Refusals are thrown (or rejected) as AuthorizationError. `connection`
   * (the request's socket) lets the token's hash be reused by its next request.
   */
  authorize(
    header: string | string[] | undefined,
    url: string,
    requiredScope?: string,
    connection?: object,
  ): Principal | Promise<Principal> {
    const known = connection === undefined ? undefined : this.connections.get(connection);
    const presented =
      known !== undefined && known.header === header && !tokenInUrl(url)
        ? known
        : this.readToken(header, url, connection);
    const now = Date.now();
    const lookup = this.cache.lookup(presented.hash, now);
    if (lookup.state === 'fresh') {
      this.metrics.l1Hits.inc();
      const admitted = presented.admitted;
      // The same answer already passed admit for this scope: only its expiry can change.
      if (
        admitted?.answer === lookup.answer &&
        admitted.scope === requiredScope &&
        now < admitted.expiresAt
      ) {
        return admitted.principal;
      }
      return this.admit(lookup.answer, presented, requiredScope);
    }
    this.metrics.l1Misses.inc();
    if (this.signed !== null && isSignedToken(presented.token)) {
      return this.checkSigned(this.signed, presented, lookup, requiredScope, now);
    }
    return this.revalidate(presented.hash, presented.token, lookup).then((answer) =>
      this.admit(answer, presented, requiredScope),
    );
  }

  // Synchronous when the token's key is known; the validator only vouches for tokens issued
  // before this wrapper heard every revocation (docs/architecture.md §3.14).
  private checkSigned(
    verifier: SignedTokenVerifier,
    presented: Presented,
    lookup: CacheLookup,
    requiredScope: string | undefined,
    now: number,
  ): Principal | Promise<Principal> {
    const verified = verifier.verify(presented.token);
    if (verified.kind === 'unknown-kid') {
      this.metrics.signedTokenChecks.inc({ result: verified.kind });
      return verifier.keys.unknownKey(verified.kid).then(
        () =>
          this.settleSigned(
            verifier.verify(presented.token),
            presented,
            lookup,
            requiredScope,
            Date.now(),
          ),
        (error: Error) => {
          this.logger.warn({ reason: error.message }, 'token keys unavailable');
          throw this.refuse(
            AuthErrorCode.AuthUnavailable,
            `the token cannot be checked right now (its signing keys cannot be read); retry shortly`,
            'unavailable',
          );
        },
      );
    }
    return this.settleSigned(verified, presented, lookup, requiredScope, now);
  }

  private settleSigned(
    verified: Verified,
    presented: Presented,
    lookup: CacheLookup,
    requiredScope: string | undefined,
    now: number,
  ): Principal | Promise<Principal> {
    this.metrics.signedTokenChecks.inc({ result: verified.kind });
    switch (verified.kind) {
      case 'valid': {
        const { claims } = verified;
        const answer = this.cache.rememberActive(
          presented.hash,
          claims.sub,
          parseScopes(claims.scope),
          claims.exp * 1000,
          now,
          claims.iat * 1000,
          claims.groups ?? [],
        );
        return this.admit(answer, presented, requiredScope);
      }
      case 'unvouched':
        return this.revalidate(presented.hash, presented.token, lookup).then((answer) =>
          this.admit(answer, presented, requiredScope),
        );
      case 'expired':
        throw this.refuse(
          AuthErrorCode.InvalidToken,
          'the bearer token has expired; log in again',
          'expired',
        );
      default:
        // Forged, another key's, another audience's, revoked, or a key no longer published.
        return this.admit(
          this.cache.rememberInactive(presented.hash, now),
          presented,
          requiredScope,
        );
    }
  }

  // Reads the header (a refusal is thrown here) and hashes the token; kept for the connection.
  private readToken(
    header: string | string[] | undefined,
    url: string,
    connection: object | undefined,
  ): Presented {
    const bearer = readBearerHeader(header, url);
    if (bearer.kind === 'missing') {
      throw this.refuse(
        AuthErrorCode.MissingToken,
        'this model needs a bearer token: send Authorization: Bearer <token> (POST /v1/auth/token issues one)',
        'missing',
      );
    }
    if (bearer.kind === 'malformed')
      throw this.refuse(AuthErrorCode.InvalidRequest, bearer.reason, 'malformed');
    const presented: Presented = {
      header: header as string,
      token: bearer.token,
      hash: tokenHash(bearer.token),
    };
    if (connection !== undefined) this.connections.set(connection, presented);
    return presented;
  }

  private async revalidate(
    hash: string,
    token: string,
    lookup: CacheLookup,
  ): Promise<CachedAnswer> {
    try {
      return await this.singleFlight(hash, token);
    } catch (error) {
      if (!(error instanceof ValidatorUnavailableError)) throw error;
      // Fail open only for what was already known: a token seen active (admit still refuses
      // it once expired, with 401: the caller must log in again, not retry).
      const known = lookup.state === 'stale' ? lookup.answer : undefined;
      if (known?.active) return known;
      this.logger.warn({ reason: error.message }, 'token check unavailable');
      throw this.refuse(
        AuthErrorCode.AuthUnavailable,
        `the token cannot be checked right now (${error.message}); retry shortly`,
        'unavailable',
      );
    }
  }

  private async singleFlight(hash: string, token: string): Promise<CachedAnswer> {
    const answer = await this.calls.fetch(hash, { context: token, forceRefresh: true });
    // introspect always answers or throws; undefined would be lru-cache's own doing.
    if (answer === undefined) throw new ValidatorUnavailableError('token check abandoned');
    return answer;
  }

  private async introspect(hash: string, token: string): Promise<CachedAnswer> {
    const stopTimer = this.metrics.validatorLatency.startTimer();
    try {
      const result = await this.validator.introspect(token);
      this.metrics.validatorCalls.inc({ result: result.active ? 'active' : 'inactive' });
      const now = Date.now();
      // A validator answering for another audience vouches for nothing here.
      return result.active && result.aud === TOKEN_AUDIENCE
        ? this.cache.rememberActive(
            hash,
            result.sub,
            parseScopes(result.scope),
            result.exp * 1000,
            now,
            result.iat * 1000,
            Array.isArray(result.groups) ? result.groups : [],
          )
        : this.cache.rememberInactive(hash, now);
    } catch (error) {
      this.metrics.validatorCalls.inc({ result: 'error' });
      throw error;
    } finally {
      stopTimer();
    }
  }

  // requiredScope undefined: any valid token will do (reads on the builder, say).
  private admit(
    answer: CachedAnswer,
    presented: Presented,
    requiredScope: string | undefined,
  ): Principal {
    if (!answer.active) {
      throw this.refuse(
        AuthErrorCode.InvalidToken,
        'the bearer token is unknown, expired or revoked; log in again',
        'invalid',
      );
    }
    if (Date.now() >= answer.expiresAt) {
      throw this.refuse(
        AuthErrorCode.InvalidToken,
        'the bearer token has expired; log in again',
        'expired',
      );
    }
    if (requiredScope && !scopeAllows(answer.scopes, requiredScope)) {
      throw this.refuse(
        AuthErrorCode.InsufficientScope,
        `the token does not grant ${requiredScope}`,
        'scope',
        requiredScope,
      );
    }
    const principal: Principal = {
      sub: answer.sub,
      tokenId: tokenLogId(presented.hash),
      scopes: answer.scopes,
      groups: answer.groups,
    };
    presented.admitted = { answer, scope: requiredScope, expiresAt: answer.expiresAt, principal };
    return principal;
  }

  private refuse(
    code: AuthErrorCode,
    message: string,
    reason: string,
    scope?: string,
  ): AuthorizationError {
    this.metrics.rejections.inc({ reason });
    return new AuthorizationError(code, message, reason, scope);
  }
}
