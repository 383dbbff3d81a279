import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { Access, ACCESS_ENFORCER, Rule, type AccessEnforcer } from '@ml-run/server';

import { PREDICT_THIS_MODEL } from '../authorization/predict-access.enforcer';
import { ModelLifecycle } from '../initialization/model-lifecycle.service';
import type { InitFailure } from '../initialization/model-state';
import { LOADED_MODEL, MODEL_RUNTIME, type LoadedModel } from '../loaded-model';
import type { ModelRuntime } from '../runtime/model-runtime.port';
import { ModelInfoResponseDto } from './model-info.dto';

// Who may read why init failed: the callers predict would admit.
const INIT_ERROR_READERS = [Rule.token(PREDICT_THIS_MODEL)];

@ApiTags('prediction')
@Controller('v1')
export class ModelInfoController {
  constructor(
    @Inject(LOADED_MODEL) private readonly model: LoadedModel,
    @Inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    @Inject(ACCESS_ENFORCER) private readonly access: AccessEnforcer,
    private readonly lifecycle: ModelLifecycle,
  ) {}

  @Get('model')
  @Access(Rule.public())
  @ApiOperation({
    summary:
      'What this replica serves and its lifecycle state; why init failed only for a token that may predict with it',
  })
  @ApiOkResponse({ type: ModelInfoResponseDto })
  async info(@Req() request: FastifyRequest): Promise<ModelInfoResponseDto> {
    const { manifest } = this.model;
    return {
      name: manifest.name,
      version: this.model.version,
      codeVersion: manifest.codeVersion,
      coefficientsDigest: this.model.coefficientsDigest,
      coefficientsVersion: manifest.coefficients.version,
      runtime: manifest.runtime,
      interpreter: this.runtime.interpreter(),
      state: this.lifecycle.state,
      initDurationMs: this.lifecycle.initMilliseconds,
      error: await this.initFailureFor(request),
      workers: this.runtime.stats(),
      sandbox: this.runtime.sandbox(),
    };
  }

  // The model's own error text may name its files, hosts or data, and a stack may follow:
  // the state is public, the text is for those the model serves (or everyone when the
  // operator turned checks off).
  private async initFailureFor(request: FastifyRequest): Promise<InitFailure | undefined> {
    const failure = this.lifecycle.initFailure;
    if (failure === undefined) return undefined;
    try {
      await this.access.admit(INIT_ERROR_READERS, request);
      return failure;
    } catch {
      return undefined;
    }
  }
}
