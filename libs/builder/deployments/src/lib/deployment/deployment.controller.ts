import { Body, Controller, Delete, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

import {
  Caller,
  DeploymentRecordDto,
  DeploymentRequestDto,
  ErrorResponseDto,
  ModelRule,
  type Principal,
} from '@ml-run/builder-registry';
import { RegistryErrorCode } from '@ml-run/registry-contract';
import { Access } from '@ml-run/server';

import { DeploymentService } from './deployment.service';

@ApiTags('deployments')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token' })
@ApiForbiddenResponse({
  type: ErrorResponseDto,
  description:
    'INSUFFICIENT_SCOPE (the token lacks models:write:<name>; details.requiredScope names it), NOT_MODEL_OWNER, or REPLICA_QUOTA_EXCEEDED (deploy: over MLRUN_MAX_REPLICAS_PER_USER)',
})
@ApiNotFoundResponse({
  type: ErrorResponseDto,
  description: 'MODEL_NOT_FOUND or VERSION_NOT_FOUND',
})
@Controller('v1/models/:name/versions/:version/deployment')
export class DeploymentController {
  constructor(private readonly deployments: DeploymentService) {}

  @Post()
  @Access(ModelRule.write())
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Deploys a built version (or scales it); answers once every replica is READY. The first deployment gets the stable alias; a new one takes stable over from the old, which stops after MLRUN_DRAIN_SECONDS',
  })
  @ApiBody({ type: DeploymentRequestDto, required: false })
  @ApiOkResponse({ type: DeploymentRecordDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: RegistryErrorCode.VersionNotBuilt })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description:
      "DEPLOYMENT_FAILED (the model's own error; what ran before keeps serving), TARGET_UNAVAILABLE, INVALID_REPLICAS",
  })
  deploy(
    @Param('name') name: string,
    @Param('version') version: string,
    @Body() body: unknown,
    @Caller() caller: Principal,
  ): Promise<DeploymentRecordDto> {
    return this.deployments.deploy(name, version, body, caller);
  }

  @Delete()
  @Access(ModelRule.write())
  @ApiOperation({ summary: "Stops a version's replicas" })
  @ApiQuery({
    name: 'force',
    required: false,
    description: 'true: undeploy even when stable sends all traffic to this version',
  })
  @ApiOkResponse({ type: DeploymentRecordDto, description: 'The deployment, state removed' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: `${RegistryErrorCode.DeploymentInUse}: stable sends all traffic to this version`,
  })
  undeploy(
    @Param('name') name: string,
    @Param('version') version: string,
    @Query('force') force?: string,
  ): Promise<DeploymentRecordDto> {
    return this.deployments.undeploy(name, version, force === 'true');
  }
}
