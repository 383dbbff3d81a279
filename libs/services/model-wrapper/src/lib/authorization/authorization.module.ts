import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';

import { EVENT_SUBSCRIBER, type EventSubscriber } from '@ml-run/event-bus';

import { AuthorizationMetrics } from './authorization.metrics';
import { L1TokenCache, type L1Settings } from './l1-token-cache';
import { PredictAuthHook } from './predict-auth.hook';
import { RevocationListener } from './revocation-listener';
import { REQUIRED_SCOPE, TokenAuthorizer } from './token-authorizer.service';
import { ValidatorClient, type ValidatorSettings } from './validator-client';

export type AuthorizationSettings = {
  /** `predict:<model>` */
  requiredScope: string;
  l1: L1Settings;
  validator: ValidatorSettings;
  /** Where token.revoked events come from (SSE from the validator, or Kafka). */
  events: EventSubscriber;
};

/** Bearer-token authorization of POST /v1/predict (DESIGN.md §3). */
@Module({})
export class AuthorizationModule implements OnApplicationShutdown {
  constructor(private readonly validator: ValidatorClient) {}

  onApplicationShutdown(): void {
    this.validator.close();
  }

  static forSettings(settings: AuthorizationSettings): DynamicModule {
    return {
      module: AuthorizationModule,
      providers: [
        { provide: L1TokenCache, useValue: new L1TokenCache(settings.l1) },
        { provide: ValidatorClient, useValue: new ValidatorClient(settings.validator) },
        { provide: EVENT_SUBSCRIBER, useValue: settings.events },
        { provide: REQUIRED_SCOPE, useValue: settings.requiredScope },
        AuthorizationMetrics,
        TokenAuthorizer,
        RevocationListener,
        PredictAuthHook,
      ],
    };
  }
}
