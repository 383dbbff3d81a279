import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

import type { EventSubscriber } from '@ml-run/event-bus';
import { readModelDir } from '@ml-run/model-contract';
import type { ModelProcessLauncher } from '@ml-run/sandbox';
import {
  createServiceApp,
  type PlainRoute,
  type ServiceApp,
  type ServiceHostOptions,
} from '@ml-run/server';

import { asyncPredictionSettingsOf } from './async-prediction/async-prediction.settings';
import { authorizationSettings } from './authorization/authorization-settings';
import type { LoadedModel } from './loaded-model';
import { ModelWrapperModule, type ModelWrapperConfig } from './model-wrapper.module';
import { PredictRoute } from './prediction/predict.route';
import { mapWrapperError } from './prediction/prediction.errors';
import { PredictionService } from './prediction/prediction.service';
import { createRuntime, type WorkerHost } from './runtime/create-runtime';
import { modelSandbox } from './runtime/model-sandbox';

/** The model-wrapper service for the bundle in MLRUN_MODEL_DIR; fails fast on a bad bundle. */
export async function createModelWrapperApp(
  config: ModelWrapperConfig,
  adapters: {
    events?: EventSubscriber;
    workers?: Omit<WorkerHost, 'pythonExecutable' | 'rscript'>;
  } = {},
  options: ServiceHostOptions = {},
): Promise<ServiceApp> {
  const model = await loadModel(config);
  const manifest = model.manifest;
  const authorization = authorizationSettings(config, manifest.name, adapters.events);
  const asyncPrediction = asyncPredictionSettingsOf(config, manifest.name);
  const launcher = await modelSandbox(
    config.MLRUN_SANDBOX,
    manifest,
    config.MLRUN_MODEL_UID,
    config.MLRUN_WORKER_SOCKET,
  );
  const runtime = await runtimeFor(config, model, launcher, adapters.workers);
  return createServiceApp({
    service: 'model-wrapper',
    logBindings: { model: manifest.name, version: model.version },
    description: `Serves model ${manifest.name} ${model.version}: POST /v1/predict with any text body.`,
    module: ModelWrapperModule.forModel(model, runtime, config, authorization, asyncPrediction),
    settings: config,
    errorMapper: mapWrapperError,
    ...PREDICT_PATH,
    ...options,
  });
}

// The manifest's runtime, its workers spawned through the replica's sandbox.
function runtimeFor(
  config: ModelWrapperConfig,
  model: LoadedModel,
  launcher: ModelProcessLauncher,
  workers: Omit<WorkerHost, 'pythonExecutable' | 'rscript'> = {},
) {
  const { manifest } = model;
  return createRuntime(
    manifest.runtime,
    {
      modelDir: model.modelDir,
      entry: manifest.entry,
      coefficientsDir: model.coefficientsDir,
      config: manifest.env,
      initTimeoutMs: manifest.initTimeoutSeconds * 1000,
      workers: config.MLRUN_WORKERS,
      igniteEndpoints: config.MLRUN_MODEL_IGNITE_ENDPOINTS,
      launcher,
      r: manifest.r,
    },
    { ...workers, pythonExecutable: config.MLRUN_PYTHON, rscript: config.MLRUN_RSCRIPT },
  );
}

async function loadModel(config: ModelWrapperConfig): Promise<LoadedModel> {
  const modelDir = path.resolve(config.MLRUN_MODEL_DIR);
  const read = await readModelDir(modelDir);
  const expected = config.MLRUN_MODEL_NAME;
  if (expected !== undefined && expected !== read.manifest.name) {
    throw new Error(
      `MLRUN_MODEL_NAME is "${expected}" but ${modelDir}/ml-run.yaml names "${read.manifest.name}"; point MLRUN_MODEL_DIR at the right bundle`,
    );
  }
  return { ...read, modelDir };
}

// POST /v1/predict: any body as text, served without Nest's per-request layer (the hot path).
const PREDICT_PATH = {
  configureFastify: acceptAnyBodyAsText,
  plainRoutes: predictRoutes,
  bodyParser: false,
};

function predictRoutes(app: INestApplicationContext): PlainRoute[] {
  return [new PredictRoute(app.get(PredictionService)).definition()];
}

// predict takes the raw body, whatever its type: the platform never parses model input.
function acceptAnyBodyAsText(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
}
