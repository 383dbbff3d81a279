import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';

import {
  AuthErrorCode,
  formatScopes,
  TOKEN_AUDIENCE,
  tokenHash,
  tokenLogId,
  type TokenRequest,
  type TokenResponse,
} from '@ml-run/token-contract';
import { TOKEN_STORE, type TokenStore } from '@ml-run/token-store';
import {
  USER_DIRECTORY,
  UserDirectoryError,
  UserDirectoryErrorCode,
  type DirectoryUser,
  type UserDirectory,
} from '@ml-run/user-directory';

import { OAuthError, withTokenStore } from '../auth-issuer.errors';
import { TokenSigner } from '../jwt/token-signer';
import { LoginThrottle } from '../login-throttle/login-throttle.service';
import { tokenLifetime } from './token-lifetime';
import { grantScopes, requestedScopes } from './token-request';
import { TokenMetrics } from './token.metrics';

/** The lifetime of issued tokens in milliseconds (MLRUN_TOKEN_TTL). */
export const TOKEN_TTL_MS = Symbol('TOKEN_TTL_MS');

// One message for unknown user and wrong password: the answer must not reveal which.
const WRONG_CREDENTIALS = 'username or password is wrong';
// The directory's own message names hosts and accounts: it goes to the log, not the client.
const DIRECTORY_UNAVAILABLE =
  'login is temporarily unavailable: the user directory cannot be reached; try again in a few seconds';
const DIRECTORY_RETRY_SECONDS = 5;

/** The password grant: throttle, check the password, mint and record a token. */
@Injectable()
export class TokenService {
  private readonly logger = new Logger(TokenService.name);

  constructor(
    @Inject(USER_DIRECTORY) private readonly users: UserDirectory,
    @Inject(TOKEN_STORE) private readonly store: TokenStore,
    @Inject(TOKEN_TTL_MS) private readonly ttlMs: number,
    private readonly throttle: LoginThrottle,
    private readonly metrics: TokenMetrics,
    private readonly signer: TokenSigner,
  ) {}

  async issue(request: TokenRequest, address: string): Promise<TokenResponse> {
    const requested = requestedScopes(request.scope);
    const user = await this.authenticate(request.username, request.password, address);
    return this.mint(user.username, grantScopes(user.scopes, requested), user.groups);
  }

  private async authenticate(
    username: string,
    password: string,
    address: string,
  ): Promise<DirectoryUser> {
    const attempt = await this.throttle.begin(username, address).catch((error: unknown) => {
      if (error instanceof OAuthError && error.code === AuthErrorCode.AuthUnavailable) {
        this.metrics.failed('unavailable');
        const facts = { err: error.cause, username, address, reason: 'counts unavailable' };
        this.logger.error(facts, 'login not checked');
      } else {
        this.metrics.failed('throttled');
        this.logger.warn({ username, address, reason: 'throttled' }, 'login refused');
      }
      throw error;
    });
    const user = await this.users.authenticate(username, password).catch(async (error) => {
      // The password was not checked: nothing to count against the user or the address.
      await attempt.abandoned();
      throw this.unchecked(error, username, address);
    });
    if (!user) {
      await attempt.failed();
      this.metrics.failed('credentials');
      this.logger.warn({ username, address, reason: 'credentials' }, 'login failed');
      throw new OAuthError('invalid_grant', AuthErrorCode.InvalidCredentials, WRONG_CREDENTIALS);
    }
    await attempt.succeeded();
    return user;
  }

  private unchecked(error: unknown, username: string, address: string): unknown {
    if (
      !(error instanceof UserDirectoryError) ||
      error.code !== UserDirectoryErrorCode.DirectoryUnavailable
    ) {
      return error;
    }
    this.metrics.failed('unavailable');
    this.logger.error(
      { username, address, reason: 'directory unavailable', detail: error.message },
      'login not checked',
    );
    return new OAuthError(
      'temporarily_unavailable',
      AuthErrorCode.AuthUnavailable,
      DIRECTORY_UNAVAILABLE,
      DIRECTORY_RETRY_SECONDS,
    );
  }

  // Opaque: 256 random bits, unguessable, so the token itself needs no signature. Signed:
  // the same facts in the token. Either way only its hash is stored (a leaked store leaks
  // no usable tokens), and the record keeps introspection and revocation alike for both.
  private async mint(sub: string, scopes: string[], groups: string[]): Promise<TokenResponse> {
    const iatMs = Date.now();
    const { iat, exp, expiresIn } = tokenLifetime(iatMs, this.ttlMs);
    const token = this.signer.signs
      ? this.signer.sign({
          sub,
          scope: formatScopes(scopes),
          groups,
          aud: TOKEN_AUDIENCE,
          iat: iatMs / 1000,
          exp,
        }).token
      : `mlr_${randomBytes(32).toString('base64url')}`;
    const hash = tokenHash(token);
    const record = { sub, scope: scopes, groups, iat, exp, iatMs, aud: TOKEN_AUDIENCE };
    await withTokenStore(() => this.store.put(hash, record)).catch((error: unknown) => {
      this.metrics.failed('unavailable');
      this.logger.error({ err: error, sub }, 'token not recorded');
      throw error;
    });
    this.metrics.issued();
    const scope = formatScopes(scopes);
    this.logger.log({ sub, tokenId: tokenLogId(hash), scope, exp }, 'token issued');
    return { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope };
  }
}
