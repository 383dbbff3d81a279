import { Module, type DynamicModule } from '@nestjs/common';

import { BearerAuthModule, type BearerAuthSettings } from '@ml-run/bearer-auth';
import { ACCESS_ENFORCER } from '@ml-run/server';

import { PredictAccessEnforcer, REQUIRED_SCOPE } from './predict-access.enforcer';

export type AuthorizationSettings = BearerAuthSettings & {
  /** `predict:<model>` */
  requiredScope: string;
};

/** Bearer-token authorization of POST /v1/predict (docs/architecture.md §3). */
@Module({})
export class AuthorizationModule {
  static forSettings(settings: AuthorizationSettings): DynamicModule {
    return {
      module: AuthorizationModule,
      imports: [BearerAuthModule.forSettings(settings)],
      providers: [
        { provide: REQUIRED_SCOPE, useValue: settings.requiredScope },
        { provide: ACCESS_ENFORCER, useClass: PredictAccessEnforcer },
      ],
      exports: [ACCESS_ENFORCER],
    };
  }
}
