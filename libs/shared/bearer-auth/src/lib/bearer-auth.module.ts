import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';

import { AuthorizationMetrics } from './authorization.metrics';
import { L1TokenCache, type L1Settings } from './l1-token-cache';
import { REVOCATION_FEED, type RevocationFeed } from './revocation-feed';
import { RevocationListener } from './revocation-listener';
import {
  SIGNED_TOKENS,
  signedTokenVerifier,
  type SignedTokenSettings,
} from './signed-tokens/signed-tokens.provider';
import { TokenAuthorizer } from './token-authorizer.service';
import { ValidatorClient, type ValidatorSettings } from './validator-client';

export type BearerAuthSettings = {
  l1: L1Settings;
  validator: ValidatorSettings;
  /** Where token.revoked events come from (SSE from the validator, or Kafka). */
  revocations: RevocationFeed;
  /** Set: signed tokens (MLRUN_TOKEN_FORMAT=jwt) are verified here against this JWKS. */
  signedTokens?: SignedTokenSettings;
};

/** Bearer-token checking for any service (docs/architecture.md §3); exports TokenAuthorizer. */
@Module({})
export class BearerAuthModule implements OnApplicationShutdown {
  constructor(private readonly validator: ValidatorClient) {}

  static forSettings(settings: BearerAuthSettings): DynamicModule {
    return {
      module: BearerAuthModule,
      providers: [
        { provide: L1TokenCache, useValue: new L1TokenCache(settings.l1) },
        { provide: ValidatorClient, useValue: new ValidatorClient(settings.validator) },
        { provide: REVOCATION_FEED, useValue: settings.revocations },
        { provide: SIGNED_TOKENS, useValue: signedTokenVerifier(settings.signedTokens) },
        AuthorizationMetrics,
        TokenAuthorizer,
        RevocationListener,
      ],
      exports: [TokenAuthorizer],
    };
  }

  onApplicationShutdown(): void {
    this.validator.close();
  }
}
