import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import type { TokenRequest, TokenResponse } from '@ml-run/token-contract';

/** `POST /v1/auth/token` body, as JSON or application/x-www-form-urlencoded. */
export class IssueTokenDto implements TokenRequest {
  @ApiProperty({ enum: ['password'], description: 'OAuth2 password grant (RFC 6749 §4.3)' })
  grant_type!: 'password';
  @ApiProperty({ example: 'ada', maxLength: 256 }) username!: string;
  @ApiProperty({ format: 'password', maxLength: 1024 }) password!: string;
  @ApiPropertyOptional({
    description:
      'Space-separated scopes to down-scope to; each must be covered by what your groups grant. Default: all of them.',
    example: 'predict:iris',
  })
  scope?: string;
}

export class TokenResponseDto implements TokenResponse {
  @ApiProperty({ description: 'Opaque bearer token', example: 'mlr_Qm9vb...' })
  access_token!: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type!: 'Bearer';
  @ApiProperty({
    description: 'Whole seconds until the token expires, rounded up (a 300 ms token says 1)',
    example: 3600,
  })
  expires_in!: number;
  @ApiProperty({
    description: 'Space-separated granted scopes',
    example: 'models:write:* predict:*',
  })
  scope!: string;
}
