import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';

import { Access, Rule } from '@ml-run/server';
import type { IntrospectionResponse } from '@ml-run/token-contract';

import {
  IntrospectionResponseDto,
  IntrospectTokenDto,
  parseIntrospectionRequest,
} from './introspect-token.dto';
import { IntrospectionService } from './introspection.service';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('v1/tokens')
export class IntrospectionController {
  constructor(private readonly introspection: IntrospectionService) {}

  @Post('introspect')
  @Access(Rule.service('introspection'))
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'RFC 7662 introspection: is this bearer token active, for whom?' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: IntrospectTokenDto })
  @ApiOkResponse({ type: IntrospectionResponseDto })
  @ApiResponse({ status: 400, description: 'No token in the body (invalid_request)' })
  @ApiResponse({ status: 401, description: 'Missing or wrong service credential' })
  @ApiResponse({ status: 503, description: 'Token store unavailable; see Retry-After' })
  introspect(@Body() body: unknown): Promise<IntrospectionResponse> {
    return this.introspection.introspect(parseIntrospectionRequest(body).token);
  }
}
