import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';

import type { EventPublisher } from '@ml-run/event-bus';
import { ACCESS_ENFORCER, ClientAddresses } from '@ml-run/server';
import { TOKEN_STORE, type TokenStore } from '@ml-run/token-store';
import { USER_DIRECTORY, type UserDirectory } from '@ml-run/user-directory';

import type { AuthIssuerConfig } from './auth-issuer.config';
import { JwksController } from './jwt/jwks.controller';
import type { SigningKeys } from './jwt/signing-keys';
import { TokenSigner } from './jwt/token-signer';
import {
  LOGIN_COUNTERS,
  memoryLoginCounters,
  type LoginCounters,
} from './login-throttle/login-counters.port';
import {
  LOGIN_THROTTLE_LIMITS,
  LoginThrottle,
  type LoginThrottleLimits,
} from './login-throttle/login-throttle.service';
import { RevocationController } from './revocation/revocation.controller';
import { RevocationMetrics } from './revocation/revocation.metrics';
import {
  DURABLE_EVENT_PUBLISHER,
  EVENT_PUBLISHER,
  RevocationService,
} from './revocation/revocation.service';
import { PasswordLoginGuard } from './token/password-login.guard';
import {
  PASSWORD_STRATEGY_NAME,
  PasswordStrategy,
  passwordStrategyName,
} from './token/password.strategy';
import { TokenController } from './token/token.controller';
import { TokenMetrics } from './token/token.metrics';
import { TOKEN_TTL_MS, TokenService } from './token/token.service';
import { IssuerAccessEnforcer } from './user-revocation/issuer-access.enforcer';
import { UserChangeRevoker } from './user-revocation/user-change-revoker.service';
import { UserRevocationController } from './user-revocation/user-revocation.controller';
import { UserAdminService } from './users/user-admin.service';
import { UsersController } from './users/users.controller';

/** The I/O seams the issuer runs on; the composition root picks memory or cluster ones. */
export type AuthIssuerAdapters = {
  tokenStore: TokenStore;
  events: EventPublisher;
  /** `events` behind a durable outbox (user-wide revocations). */
  durableEvents: EventPublisher;
  users: UserDirectory;
  /** Default: counted in this process. */
  loginCounters?: LoginCounters;
  /** MLRUN_TOKEN_FORMAT=jwt: the keys that sign and are published; undefined: opaque tokens. */
  signingKeys?: SigningKeys;
};

@Module({})
export class AuthIssuerModule {
  static forRoot(config: AuthIssuerConfig, adapters: AuthIssuerAdapters): DynamicModule {
    const strategy = passwordStrategyName();
    return {
      module: AuthIssuerModule,
      // The login guard's passport strategy: this issuer's own, over its user directory.
      imports: [PassportModule.register({ defaultStrategy: strategy, session: false })],
      controllers: [
        TokenController,
        RevocationController,
        UserRevocationController,
        UsersController,
        JwksController,
      ],
      providers: [
        { provide: TOKEN_STORE, useValue: adapters.tokenStore },
        { provide: EVENT_PUBLISHER, useValue: adapters.events },
        { provide: DURABLE_EVENT_PUBLISHER, useValue: adapters.durableEvents },
        { provide: USER_DIRECTORY, useValue: adapters.users },
        { provide: TOKEN_TTL_MS, useValue: config.MLRUN_TOKEN_TTL },
        ...loginProviders(config, adapters, strategy),
        { provide: TokenSigner, useValue: new TokenSigner(adapters.signingKeys) },
        TokenService,
        RevocationMetrics,
        RevocationService,
        { provide: ACCESS_ENFORCER, useClass: IssuerAccessEnforcer },
        UserChangeRevoker,
        UserAdminService,
      ],
    };
  }
}

// The password grant's guard chain: the throttle, then this issuer's passport strategy.
function loginProviders(
  config: AuthIssuerConfig,
  adapters: AuthIssuerAdapters,
  strategy: string,
): Provider[] {
  const limits: LoginThrottleLimits = {
    maxFailuresPerUser: config.MLRUN_LOGIN_MAX_FAILURES_PER_USER,
    maxFailuresPerAddress: config.MLRUN_LOGIN_MAX_FAILURES_PER_ADDRESS,
    userCeiling: config.MLRUN_LOGIN_USER_CEILING,
    lockSeconds: config.MLRUN_LOGIN_LOCK_SECONDS,
  };
  return [
    { provide: LOGIN_THROTTLE_LIMITS, useValue: limits },
    { provide: LOGIN_COUNTERS, useValue: adapters.loginCounters ?? memoryLoginCounters },
    LoginThrottle,
    { provide: ClientAddresses, useValue: new ClientAddresses(config.MLRUN_TRUSTED_PROXIES) },
    TokenMetrics,
    { provide: PASSWORD_STRATEGY_NAME, useValue: strategy },
    PasswordStrategy,
    PasswordLoginGuard,
  ];
}
