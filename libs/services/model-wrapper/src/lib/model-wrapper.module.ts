import { Module, type DynamicModule } from '@nestjs/common';

import type { ConfigOf } from '@ml-run/config';
import { ACCESS_ENFORCER, READINESS_CHECK } from '@ml-run/server';

import { AsyncPredictionMetrics } from './async-prediction/async-prediction.metrics';
import {
  ASYNC_PREDICTION_SETTINGS,
  type AsyncPredictionSettings,
} from './async-prediction/async-prediction.settings';
import { AsyncPredictionWorker } from './async-prediction/async-prediction.worker';
import {
  AuthorizationModule,
  type AuthorizationSettings,
} from './authorization/authorization.module';
import { ADMIT_EVERYONE } from './authorization/predict-access.enforcer';
import { InitMetrics } from './initialization/init.metrics';
import { ModelLifecycle } from './initialization/model-lifecycle.service';
import { LOADED_MODEL, MODEL_RUNTIME, type LoadedModel } from './loaded-model';
import { ModelInfoController } from './model-info/model-info.controller';
import type { modelWrapperConfigShape } from './model-wrapper.config';
import { InflightGate } from './prediction/inflight-gate';
import { PredictionMetrics } from './prediction/prediction.metrics';
import { PredictionService } from './prediction/prediction.service';
import { RecentPredictionErrors } from './prediction/recent-errors';
import { RecentErrorsController } from './prediction/recent-errors.controller';
import type { ModelRuntime } from './runtime/model-runtime.port';

export type ModelWrapperConfig = ConfigOf<typeof modelWrapperConfigShape>;

@Module({})
export class ModelWrapperModule {
  static forModel(
    model: LoadedModel,
    runtime: ModelRuntime,
    config: ModelWrapperConfig,
    authorization: AuthorizationSettings | undefined,
    asyncPrediction?: AsyncPredictionSettings,
  ): DynamicModule {
    return {
      module: ModelWrapperModule,
      imports: authorization ? [AuthorizationModule.forSettings(authorization)] : [],
      controllers: [ModelInfoController, RecentErrorsController],
      providers: [
        ...(authorization ? [] : [{ provide: ACCESS_ENFORCER, useValue: ADMIT_EVERYONE }]),
        { provide: LOADED_MODEL, useValue: model },
        { provide: MODEL_RUNTIME, useValue: runtime },
        { provide: InflightGate, useValue: new InflightGate(config.MLRUN_MAX_INFLIGHT) },
        { provide: READINESS_CHECK, useExisting: ModelLifecycle },
        ModelLifecycle,
        InitMetrics,
        PredictionMetrics,
        PredictionService,
        RecentPredictionErrors,
        ...(asyncPrediction
          ? [
              { provide: ASYNC_PREDICTION_SETTINGS, useValue: asyncPrediction },
              AsyncPredictionWorker,
              AsyncPredictionMetrics,
            ]
          : []),
      ],
    };
  }
}
