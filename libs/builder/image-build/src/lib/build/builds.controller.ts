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
import { RegistryErrorCode } from '@ml-run/registry-contract';
import { Access } from '@ml-run/server';

import { BuildEventStreams } from './build-event-streams.service';
import { BuildRecordDto } from './build-record.dto';
import { BuildService } from './build.service';

@ApiTags('builds')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: RegistryErrorCode.BuildNotFound })
@Controller('v1/builds/:id')
export class BuildsController {
  constructor(
    private readonly builds: BuildService,
    private readonly streams: BuildEventStreams,
  ) {}

  @Get()
  @Access(ModelRule.readBuild())
  @ApiOperation({ summary: 'A build: state, steps, the last 500 lines of its log' })
  @ApiOkResponse({ type: BuildRecordDto })
  get(@Param('id') id: string): Promise<BuildRecordDto> {
    return this.builds.get(id);
  }

  @Get('events')
  @Access(ModelRule.readBuild())
  @ApiOperation({
    summary:
      'Server-sent build progress: the steps so far, then live step and log events; ends after done',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'Per BuildProgressEvent: `event: step|log|done` and `data: <the event as JSON>`',
  })
  events(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    return this.streams.stream(id, reply);
  }
}
