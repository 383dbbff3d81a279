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

  // The stream invalidates introspection answers cached by whoever asked for them: it is
  // part of the introspection door, not a credential of its own (docs/security.md).
  @Get('events')
  @Access(Rule.service('introspection'))
  @ApiOperation({
    summary: 'Server-sent stream of token events (token.revoked) for wrapper processes',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'One `data:` line of JSON per event; comment heartbeats' })
  @ApiResponse({ status: 401, description: 'Missing or wrong introspection credential' })
  events(@Res() reply: FastifyReply): void {
    this.streams.open(reply);
  }
}
