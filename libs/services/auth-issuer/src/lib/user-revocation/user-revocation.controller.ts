import { Controller, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';

import { Access, Rule } from '@ml-run/server';
import { ADMIN_SCOPE } from '@ml-run/token-contract';

import { RevocationService } from '../revocation/revocation.service';
import { usernameParam } from '../users/username-param';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/auth/users')
export class UserRevocationController {
  constructor(private readonly revocations: RevocationService) {}

  @Post(':name/revoke-tokens')
  @Access(Rule.token(ADMIN_SCOPE))
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Revoke every token a user holds now (admin); tokens minted later are unaffected',
  })
  @ApiParam({ name: 'name', example: 'bob' })
  @ApiOkResponse({
    description: 'Revoked in the store and announced to every replica',
    schema: { example: { sub: 'bob', notBefore: '2026-11-28T10:00:00.000Z' } },
  })
  revokeTokens(@Param('name') name: string): Promise<{ sub: string; notBefore: string }> {
    return this.revocations.revokeSubject(usernameParam(name));
  }
}
