import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Access, Rule } from '@ml-run/server';

import { ModelLifecycle } from '../initialization/model-lifecycle.service';
import { LOADED_MODEL, MODEL_RUNTIME, type LoadedModel } from '../loaded-model';
import type { ModelRuntime } from '../runtime/model-runtime.port';
import { ModelInfoResponseDto } from './model-info.dto';

@ApiTags('prediction')
@Controller('v1')
export class ModelInfoController {
  constructor(
    @Inject(LOADED_MODEL) private readonly model: LoadedModel,
    @Inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
    private readonly lifecycle: ModelLifecycle,
  ) {}

  @Get('model')
  @Access(Rule.public())
  @ApiOperation({ summary: 'What this replica serves and its lifecycle state' })
  @ApiOkResponse({ type: ModelInfoResponseDto })
  info(): ModelInfoResponseDto {
    const { manifest } = this.model;
    return {
      name: manifest.name,
      version: this.model.version,
      codeVersion: manifest.codeVersion,
      coefficientsDigest: this.model.coefficientsDigest,
      coefficientsVersion: manifest.coefficients.version,
      runtime: manifest.runtime,
      state: this.lifecycle.state,
      initDurationMs: this.lifecycle.initMilliseconds,
      error: this.lifecycle.initFailure,
      workers: this.runtime.stats(),
    };
  }
}
