import { ApiProperty } from '@nestjs/swagger';

export class OAuthErrorResponseDto {
  @ApiProperty({
    description: 'RFC 6749 §5.2 error',
    enum: [
      'invalid_request',
      'invalid_grant',
      'invalid_scope',
      'unsupported_grant_type',
      'temporarily_unavailable',
    ],
    example: 'invalid_grant',
  })
  error!: string;
  @ApiProperty({ example: 'username or password is wrong' }) error_description!: string;
  @ApiProperty({
    description: 'ML-RUN error code (AuthErrorCode)',
    example: 'INVALID_CREDENTIALS',
  })
  code!: string;
  @ApiProperty({ example: 'username or password is wrong' }) message!: string;
}
