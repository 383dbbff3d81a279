import path from 'node:path';

import { loadConfig } from '@ml-run/config';
import type { EventSubscriber } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';
import { TEST_METRICS_TOKEN } from '@ml-run/server/testing';

import { createModelWrapperApp } from '../lib/create-model-wrapper-app';
import { ModelLifecycle } from '../lib/initialization/model-lifecycle.service';
import { modelWrapperConfigShape } from '../lib/model-wrapper.config';
import { testNodeWorkerScript } from './node-worker-bundle';

export const REPO_ROOT = path.resolve(__dirname, '../../../../..');
export const FIXTURES = path.resolve(__dirname, '../../fixtures');

/** A wrapper on a model directory, not listening (use inject); settings as MLRUN_ strings. */
export async function startTestWrapper(
  modelDir: string,
  settings: Record<string, string> = {},
  adapters: { events?: EventSubscriber } = {},
): Promise<{ app: ServiceApp; initialized: Promise<void> }> {
  const config = loadConfig(modelWrapperConfigShape, {
    MLRUN_MODEL_DIR: modelDir,
    MLRUN_PORT: '0',
    MLRUN_LOG_LEVEL: 'silent',
    MLRUN_AUTH_MODE: 'disabled',
    MLRUN_METRICS_TOKEN: TEST_METRICS_TOKEN,
    // HTTP-contract tests; the sandbox itself is tried for real in the int and e2e specs.
    MLRUN_SANDBOX: 'off',
    ...settings,
  });
  const workers = { nodeWorkerScript: testNodeWorkerScript() };
  const app = await createModelWrapperApp(config, { ...adapters, workers });
  return { app, initialized: app.nest.get(ModelLifecycle).settled() };
}
