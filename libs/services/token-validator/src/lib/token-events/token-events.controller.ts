import { Controller, Get, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { Access, Rule } from '@ml-run/server';

import { TokenEventStreams } from './token-event-streams.service';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('v1/tokens')
export class TokenEventsController {
  constructor(private readonly streams: TokenEventStreams) {}

  @Get('events')
  @Access(Rule.service('token-events'))
  @ApiOperation({
    summary: 'Server-sent stream of token events (token.revoked) for wrapper processes',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'One `data:` line of JSON per event; comment heartbeats' })
  @ApiResponse({ status: 401, description: 'Missing or wrong service credential' })
  events(@Res() reply: FastifyReply): void {
    this.streams.open(reply);
  }
}
