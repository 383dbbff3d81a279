import {
  createParamDecorator,
  Inject,
  Injectable,
  Logger,
  Optional,
  type ExecutionContext,
} from '@nestjs/common';
import { AuthGuard, AuthModuleOptions } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';

import { ClientAddresses } from '@ml-run/server';
import { AuthErrorCode } from '@ml-run/token-contract';
import {
  UserDirectoryError,
  UserDirectoryErrorCode,
  type DirectoryUser,
} from '@ml-run/user-directory';

import { OAuthError } from '../auth-issuer.errors';
import { LoginThrottle, type LoginAttempt } from '../login-throttle/login-throttle.service';
import { parseTokenRequest, requestedScopes } from './token-request';
import { TokenMetrics } from './token.metrics';

/** What a login that passed PasswordLoginGuard carries to the token endpoint's handler. */
export type PasswordLogin = {
  /** The user whose password the directory accepted, with the scopes of their groups. */
  user: DirectoryUser;
  /** The scopes the request asked for (syntax checked); empty: all the user's. */
  requested: string[];
};

// One message for unknown user and wrong password: the answer must not reveal which.
const WRONG_CREDENTIALS = 'username or password is wrong';
// The directory's own message names hosts and accounts: it goes to the log, not the client.
const DIRECTORY_UNAVAILABLE =
  'login is temporarily unavailable: the user directory cannot be reached; try again in a few seconds';
const DIRECTORY_RETRY_SECONDS = 5;

const logins = new WeakMap<object, PasswordLogin>();

/**
 * The password grant's guard: checks the request (RFC 6749 errors), asks the login throttle
 * to admit the attempt, and only then lets passport run this issuer's PasswordStrategy (the
 * default strategy of its PassportModule). The throttle runs inside this guard, not in a
 * guard of its own before it: an admitted attempt must be settled exactly once with the
 * check's outcome (failed, succeeded, or abandoned when the directory could not check), and
 * that is only certain where the attempt is begun and the check awaited in one place.
 */
@Injectable()
export class PasswordLoginGuard extends AuthGuard() {
  private readonly logger = new Logger(PasswordLoginGuard.name);

  constructor(
    private readonly throttle: LoginThrottle,
    private readonly addresses: ClientAddresses,
    private readonly metrics: TokenMetrics,
    @Optional() @Inject(AuthModuleOptions) options?: AuthModuleOptions,
  ) {
    super(options);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = this.getRequest(context) as FastifyRequest;
    const grant = parseTokenRequest(request.body);
    // Scope syntax is checked before any password is looked at.
    const requested = requestedScopes(grant.scope);
    const address = this.addresses.of(request);
    const attempt = await this.begin(grant.username, address);
    const user = await this.check(context, attempt, grant.username, address);
    logins.set(request, { user, requested });
    return true;
  }

  // passport's outcome, as is: the user, false for a refused password, or the error.
  override handleRequest<TUser>(error: unknown, user: TUser): TUser {
    if (error) throw error;
    return user;
  }

  private async begin(username: string, address: string): Promise<LoginAttempt> {
    return this.throttle.begin(username, address).catch((error: unknown) => {
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
  }

  private async check(
    context: ExecutionContext,
    attempt: LoginAttempt,
    username: string,
    address: string,
  ): Promise<DirectoryUser> {
    const user = await this.passportUser(context).catch(async (error: unknown) => {
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

  private async passportUser(context: ExecutionContext): Promise<DirectoryUser | undefined> {
    await super.canActivate(context);
    const { user } = this.getRequest(context) as { user?: DirectoryUser | false };
    return user || undefined;
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
}

/** The handler's parameter: the login PasswordLoginGuard admitted for this request. */
export const AdmittedLogin = createParamDecorator(
  (_data: unknown, context: ExecutionContext): PasswordLogin => {
    const login = logins.get(context.switchToHttp().getRequest<object>());
    // Only a route without the guard gets here: a programming error, not a client's.
    if (!login) throw new Error('AdmittedLogin needs PasswordLoginGuard on its route');
    return login;
  },
);
