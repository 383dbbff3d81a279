import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Access, Rule } from '@ml-run/server';
import type { TokenJwks } from '@ml-run/token-contract';

import { TokenSigner } from './token-signer';

@ApiTags('auth')
@Controller('v1/auth')
export class JwksController {
  constructor(private readonly signer: TokenSigner) {}

  // Public keys only: anyone may verify a token, nobody can sign one with them. Cacheable,
  // but briefly: a rotation publishes the next key before it signs (docs/security.md).
  @Get('jwks')
  @Access(Rule.public())
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({
    summary: 'The public keys that verify signed tokens (RFC 7517 JWKS)',
    description:
      'Every key a live token may be signed with, and the next one; empty with MLRUN_TOKEN_FORMAT=opaque.',
  })
  @ApiOkResponse({ description: '{ keys: [ES256 P-256 JWKs, each with its kid] }' })
  jwks(): TokenJwks {
    return this.signer.jwks;
  }
}
