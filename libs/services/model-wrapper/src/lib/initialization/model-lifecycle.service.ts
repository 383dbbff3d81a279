import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import type { Readiness, ReadinessCheck } from '@ml-run/server';

import { LOADED_MODEL, MODEL_RUNTIME, type LoadedModel } from '../loaded-model';
import type { ModelRuntime } from '../runtime/model-runtime.port';
import { RuntimeError, RuntimeErrorCode } from '../runtime/runtime.errors';
import { InitMetrics } from './init.metrics';
import { ModelState, type InitFailure } from './model-state';

/** STARTING → init(ctx) → self-test → READY, or INIT_FAILED with the model's own error. */
@Injectable()
export class ModelLifecycle
  implements ReadinessCheck, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(ModelLifecycle.name);
  private current = ModelState.Starting;
  private failure: InitFailure | undefined;
  private initDurationMs: number | undefined;
  private initialization: Promise<void> | undefined;

  constructor(
    @Inject(LOADED_MODEL) private readonly model: LoadedModel,
    @Inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    private readonly metrics: InitMetrics,
  ) {}

  get state(): ModelState {
    return this.current;
  }

  get initFailure(): InitFailure | undefined {
    return this.failure;
  }

  get initMilliseconds(): number | undefined {
    return this.initDurationMs;
  }

  // Init runs after the app is up, so /healthz and /readyz answer while it works.
  onApplicationBootstrap(): void {
    this.initialization = this.initialize();
  }

  /** Resolves when init has finished, either way (for tests and the CLI). */
  settled(): Promise<void> {
    return this.initialization ?? Promise.resolve();
  }

  // Public, so the state without the model's error text: deployers read that from the
  // replica's log line 'model init failed', callers with a token from GET /v1/model.
  readiness(): Readiness {
    const details = {
      state: this.current,
      model: this.model.manifest.name,
      version: this.model.version,
    };
    return { ready: this.current === ModelState.Ready, details };
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.current = ModelState.Stopping;
    await this.initialization;
    await this.runtime.stop();
  }

  private async initialize(): Promise<void> {
    const started = performance.now();
    const { name } = this.model.manifest;
    this.logger.log({ model: name, version: this.model.version }, 'model init started');
    try {
      await this.runtime.start();
      await this.selfTest();
      this.initDurationMs = Math.round(performance.now() - started);
      if (this.current !== ModelState.Starting) return;
      this.current = ModelState.Ready;
      this.metrics.ready(this.initDurationMs / 1000);
      this.logger.log(
        { model: name, version: this.model.version, initMs: this.initDurationMs },
        'model ready',
      );
    } catch (error) {
      await this.fail(error);
    }
  }

  private async selfTest(): Promise<void> {
    const selfTest = this.model.manifest.selfTest;
    if (!selfTest) return;
    let output: string;
    try {
      output = await this.runtime.predict(selfTest.input);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RuntimeError(RuntimeErrorCode.InitFailed, `self-test predict failed: ${reason}`);
    }
    if (selfTest.expectOutput !== undefined && output !== selfTest.expectOutput) {
      throw new RuntimeError(
        RuntimeErrorCode.InitFailed,
        `self-test output differs from selfTest.expectOutput: expected ${JSON.stringify(selfTest.expectOutput)}, got ${JSON.stringify(output)}`,
      );
    }
  }

  private async fail(error: unknown): Promise<void> {
    const code = error instanceof RuntimeError ? error.code : RuntimeErrorCode.InitFailed;
    const message = error instanceof Error ? error.message : String(error);
    const detail = error instanceof RuntimeError ? error.detail : undefined;
    // Logged before /readyz says INIT_FAILED: a deployer that sees the state finds the reason
    // already in the replica's output. The detail (a stack, stderr) on a line of its own, so
    // a long one cannot cut the reason off a deployer's bounded line.
    const { name: model } = this.model.manifest;
    const { version } = this.model;
    this.logger.error({ model, version, code, reason: message }, 'model init failed');
    if (detail !== undefined)
      this.logger.error({ model, version, detail }, 'model init failure detail');
    this.failure = { code, message };
    this.current = ModelState.InitFailed;
    this.metrics.failed();
    await this.runtime.stop();
  }
}
