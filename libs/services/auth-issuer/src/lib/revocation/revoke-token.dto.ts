import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import type { RevocationRequest } from '@ml-run/token-contract';

/** `POST /v1/auth/revoke` body (RFC 7009 §2.1), as JSON or application/x-www-form-urlencoded. */
export class RevokeTokenDto implements RevocationRequest {
  @ApiProperty({ description: 'The token to revoke', example: 'mlr_Qm9vb...' }) token!: string;
  @ApiPropertyOptional({ enum: ['access_token'], description: 'Accepted and ignored' })
  token_type_hint?: 'access_token';
}
