import { ApiProperty } from '@nestjs/swagger';

import { AuthErrorCode } from '@ml-run/token-contract';

import { OAUTH_ERROR_NAMES } from './auth-issuer.errors';

export class OAuthErrorResponseDto {
  @ApiProperty({
    description: 'RFC 6749 §5.2 error',
    enum: OAUTH_ERROR_NAMES,
    example: 'invalid_grant',
  })
  error!: string;
  @ApiProperty({ example: 'username or password is wrong' }) error_description!: string;
  @ApiProperty({
    description: 'ML-RUN error code (AuthErrorCode)',
    enum: Object.values(AuthErrorCode),
    example: AuthErrorCode.InvalidCredentials,
  })
  code!: string;
  @ApiProperty({ example: 'username or password is wrong' }) message!: string;
}
