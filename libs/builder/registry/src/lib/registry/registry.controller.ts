import { Controller, Get, Param, type StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import { Access, Rule } from '@ml-run/server';
import { ADMIN_SCOPE } from '@ml-run/token-contract';

import { Caller } from '../authorization/builder-access.enforcer';
import { ModelRule } from '../authorization/model-rules';
import type { Principal } from '../authorization/request-authorizer.port';
import { ErrorResponseDto } from '../error-response.dto';
import { ModelListDto, ModelRecordDto, ModelVersionDto, RouteTableDto } from './model-record.dto';
import { RegistryQueries } from './registry-queries.service';

const VERSION = 'models/:name/versions/:version';

@ApiTags('models')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token' })
@Controller('v1')
export class RegistryController {
  constructor(private readonly registry: RegistryQueries) {}

  // The console's registry-read credential opens the registry's reads (models, versions);
  // not bundles (code, coefficients), build logs, nor the route table.
  @Get('models')
  @Access(Rule.service('registry-read'), Rule.token())
  @ApiOperation({
    summary:
      'Every model the caller may read (models:read:<name>): latest version, version count, aliases, deployed versions',
  })
  @ApiOkResponse({ type: ModelListDto })
  listModels(@Caller() caller: Principal): Promise<ModelListDto> {
    return this.registry.listModels(caller);
  }

  @Get('models/:name')
  @Access(Rule.service('registry-read'), ModelRule.read())
  @ApiOperation({ summary: "A model's versions, aliases and deployments" })
  @ApiOkResponse({ type: ModelRecordDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'MODEL_NOT_FOUND (lists the models)',
  })
  getModel(@Param('name') name: string): Promise<ModelRecordDto> {
    return this.registry.getModel(name);
  }

  @Get(VERSION)
  @Access(Rule.service('registry-read'), ModelRule.read())
  @ApiOperation({ summary: 'One version: digests, uploader, build, state' })
  @ApiOkResponse({ type: ModelVersionDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'MODEL_NOT_FOUND or VERSION_NOT_FOUND (lists what exists)',
  })
  getVersion(
    @Param('name') name: string,
    @Param('version') version: string,
  ): Promise<ModelVersionDto> {
    return this.registry.getVersion(name, version);
  }

  @Get(`${VERSION}/bundle`)
  @Access(ModelRule.read())
  @ApiOperation({ summary: "Downloads the version's bundle zip, as uploaded" })
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'The zip', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'MODEL_NOT_FOUND or VERSION_NOT_FOUND',
  })
  bundle(@Param('name') name: string, @Param('version') version: string): Promise<StreamableFile> {
    return this.registry.bundle(name, version);
  }

  @Get('routes')
  @Access(Rule.service('route-table'), Rule.token(ADMIN_SCOPE))
  @ApiOperation({
    summary: "The router's view: READY replica URLs per deployed version, and aliases",
  })
  @ApiOkResponse({ type: RouteTableDto })
  routes(): Promise<RouteTableDto> {
    return this.registry.routes();
  }
}
