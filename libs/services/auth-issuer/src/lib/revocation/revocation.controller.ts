import { Body, Controller, Header, HttpCode, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';

import { Access, Rule } from '@ml-run/server';

import { OAuthErrorResponseDto } from '../oauth-error-response.dto';
import { OAuthErrorFilter } from '../oauth-error.filter';
import { parseRevocationRequest } from './revocation-request';
import { RevocationService } from './revocation.service';
import { RevokeTokenDto } from './revoke-token.dto';

// No client authentication (RFC 7009 §2.1 allows it for public clients): possession of the
// token is the authorization. Whoever holds a 256-bit bearer token can already act as its
// owner, so letting them end it grants nothing new, and nobody can revoke a token they
// do not hold. Unknown tokens get 200 too, so the endpoint is no oracle.
@ApiTags('auth')
@Controller('v1/auth')
@UseFilters(OAuthErrorFilter)
export class RevocationController {
  constructor(private readonly revocations: RevocationService) {}

  // RFC 7009: the token to revoke is the credential; knowing it is the right to end it.
  @Post('revoke')
  @Access(Rule.public())
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Revoke a token (RFC 7009); holding the token is the authorization',
    description:
      'Always 200 with {} once done, also for unknown, expired or already revoked tokens.',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: RevokeTokenDto })
  @ApiOkResponse({
    description: 'Revoked, or there was nothing to revoke',
    schema: { type: 'object' },
  })
  @ApiBadRequestResponse({ type: OAuthErrorResponseDto, description: 'invalid_request: no token' })
  @ApiServiceUnavailableResponse({
    type: OAuthErrorResponseDto,
    description: 'The revocation could not be announced; the token is still valid; retry',
  })
  async revoke(@Body() body: unknown): Promise<Record<string, never>> {
    await this.revocations.revoke(parseRevocationRequest(body).token);
    return {};
  }
}
