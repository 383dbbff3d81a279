import { Controller, Get, Param, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { ErrorResponseDto, ModelRule } from '@ml-run/builder-registry';
import type { ModelTraffic, RecentErrorsResponse } from '@ml-run/registry-contract';
import { Access } from '@ml-run/server';

import { ModelRecordStreams } from './model-record-streams.service';
import { ModelTrafficService } from './model-traffic.service';
import { VersionErrorsService } from './version-errors.service';

/** What the console watches: a model's record live, its replicas' traffic, recent errors. */
@ApiTags('models')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token' })
@ApiNotFoundResponse({
  type: ErrorResponseDto,
  description: 'MODEL_NOT_FOUND or VERSION_NOT_FOUND',
})
@Controller('v1/models/:name')
export class ObservationController {
  constructor(
    private readonly streams: ModelRecordStreams,
    private readonly trafficOf: ModelTrafficService,
    private readonly errorsOf: VersionErrorsService,
  ) {}

  @Get('events')
  @Access(ModelRule.read())
  @ApiOperation({
    summary:
      "Server-sent model record: `event: model` with GET /v1/models/{name}'s JSON on connect and after each change; ends when the caller's token expires or is revoked",
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: '`event: model` and `data: <the model record as JSON>`' })
  events(@Param('name') name: string, @Res() reply: FastifyReply): Promise<void> {
    return this.streams.stream(name, reply);
  }

  @Get('traffic')
  @Access(ModelRule.read())
  @ApiOperation({
    summary:
      "Every replica's cumulative counters, scraped now: predictions by status, latency histogram, token-cache hits, validator calls (ModelTraffic)",
  })
  @ApiOkResponse({ description: 'ModelTraffic: { name, sampledAt, replicas: ReplicaTraffic[] }' })
  traffic(@Param('name') name: string): Promise<ModelTraffic> {
    return this.trafficOf.traffic(name);
  }

  @Get('versions/:version/errors')
  @Access(ModelRule.read())
  @ApiOperation({
    summary:
      "A version's recent errors, newest first (at most 50): its build's failure, failed replicas, and the failed predictions its replicas remember",
  })
  @ApiOkResponse({ description: '{ errors: RecentError[] }' })
  async errors(
    @Param('name') name: string,
    @Param('version') version: string,
  ): Promise<RecentErrorsResponse> {
    return { errors: await this.errorsOf.errors(name, version) };
  }
}
