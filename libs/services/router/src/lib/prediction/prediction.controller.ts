import {
  applyDecorators,
  Controller,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { Access, Rule } from '@ml-run/server';

import { ALIAS_HEADER, forwardedRequest, requestedAlias, sendAnswer } from './forwarding';
import { PredictionService } from './prediction.service';
import { PROXY_SETTINGS, type ProxySettings } from './proxy-settings';

@ApiTags('prediction')
@ApiBearerAuth()
@Controller('v1/models/:name')
export class PredictionController {
  constructor(
    private readonly predictions: PredictionService,
    @Inject(PROXY_SETTINGS) private readonly settings: ProxySettings,
  ) {}

  @Post('predict')
  @Access(Rule.bearerPresent())
  @HttpCode(200)
  @ApiOperation({
    summary: 'Predicts with the version an alias names (stable unless ?alias= or x-mlrun-alias)',
  })
  @ApiQuery({ name: 'alias', required: false, description: 'Alias to use; default stable' })
  @ApiHeader({ name: ALIAS_HEADER, required: false, description: 'Alias, when ?alias= is not set' })
  @ApiPredictExchange()
  async predict(
    @Param('name') name: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = { name, alias: requestedAlias(request) };
    sendAnswer(
      reply,
      await this.predictions.predict(
        target,
        forwardedRequest(request, this.settings.maxBodyBytes),
        request.raw,
      ),
    );
  }

  @Post('versions/:version/predict')
  @Access(Rule.bearerPresent())
  @HttpCode(200)
  @ApiOperation({ summary: 'Predicts with one deployed version, whatever the aliases say' })
  @ApiParam({ name: 'version', example: '1.0.0+6526c66fa490' })
  @ApiPredictExchange()
  async predictVersion(
    @Param('name') name: string,
    @Param('version') version: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = { name, version };
    sendAnswer(
      reply,
      await this.predictions.predict(
        target,
        forwardedRequest(request, this.settings.maxBodyBytes),
        request.raw,
      ),
    );
  }
}

// What both predict paths share: the body passes through untouched, and so does the answer.
function ApiPredictExchange() {
  return applyDecorators(
    ApiParam({ name: 'name', example: 'iris' }),
    ApiConsumes('application/json', 'text/plain', '*/*'),
    ApiBody({
      description: "Any body; passed to the model's predict unchanged",
      schema: { type: 'string' },
    }),
    ApiResponse({
      status: 200,
      description: "The replica's answer: status, body and content-type as it sent them",
    }),
    ApiResponse({
      status: 401,
      description: 'From the replica: no valid bearer token (WWW-Authenticate passed back)',
    }),
    ApiResponse({
      status: 404,
      description:
        'MODEL_NOT_FOUND, VERSION_NOT_FOUND or ALIAS_NOT_FOUND; the message lists what exists',
    }),
    ApiResponse({ status: 413, description: 'PAYLOAD_TOO_LARGE: body over MLRUN_MAX_BODY_BYTES' }),
    ApiResponse({
      status: 502,
      description: 'UPSTREAM_FAILED: no replica could be reached, after one retry on another',
    }),
    ApiResponse({
      status: 503,
      description: 'NO_READY_REPLICA or ROUTES_NOT_LOADED; see Retry-After',
    }),
    ApiResponse({
      status: 504,
      description: 'UPSTREAM_TIMEOUT: no answer within MLRUN_UPSTREAM_TIMEOUT_MS',
    }),
  );
}
