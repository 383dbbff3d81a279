import { Body, Controller, Param, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

import { RegistryErrorCode } from '@ml-run/registry-contract';
import { Access } from '@ml-run/server';

import { ModelRule } from '../authorization/model-rules';
import { ErrorResponseDto } from '../error-response.dto';
import { AliasService } from './alias.service';
import { AliasResponseDto, SetAliasDto } from './set-alias.dto';

@ApiTags('aliases')
@ApiBearerAuth()
@Controller('v1/models/:name/aliases')
export class AliasController {
  constructor(private readonly aliases: AliasService) {}

  @Put(':alias')
  @Access(ModelRule.write())
  @ApiOperation({
    summary: 'Points an alias (stable, canary, ...) at one version or splits it by weight',
  })
  @ApiBody({ type: SetAliasDto })
  @ApiOkResponse({ type: AliasResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token' })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description:
      'INSUFFICIENT_SCOPE (the token lacks models:write:<name>; details.requiredScope names it) or NOT_MODEL_OWNER',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: RegistryErrorCode.ModelNotFound })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description:
      'INVALID_ALIAS: bad alias name, weights not integers summing to 100, unknown versions',
  })
  set(
    @Param('name') name: string,
    @Param('alias') alias: string,
    @Body() body: unknown,
  ): Promise<AliasResponseDto> {
    return this.aliases.set(name, alias, body);
  }
}
