import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { AuthErrorCode, type IntrospectionRequest } from '@ml-run/token-contract';

import { TokenError } from './introspection.errors';

/** `POST /v1/tokens/introspect` body (RFC 7662 §2.1), JSON or form-encoded. */
export class IntrospectTokenDto {
  @ApiProperty({ description: 'The bearer token to check', example: 'mlr_4f0c...' })
  token!: string;

  @ApiPropertyOptional({ enum: ['access_token'], description: 'Ignored: every token is one' })
  token_type_hint?: 'access_token';
}

/** RFC 7662 §2.2: an inactive token carries `active: false` and nothing else. */
export class IntrospectionResponseDto {
  @ApiProperty() active!: boolean;
  @ApiPropertyOptional({ example: 'ada' }) sub?: string;
  @ApiPropertyOptional({ example: 'predict:iris' }) scope?: string;
  @ApiPropertyOptional({
    type: [String],
    example: ['publishers'],
    description: "The user's groups at login (model owners are users or groups)",
  })
  groups?: string[];
  @ApiPropertyOptional({
    description: 'Expiry, seconds since the epoch, with up to 3 decimals (milliseconds)',
    example: 1764331200.25,
  })
  exp?: number;
  @ApiPropertyOptional({ description: 'Issue time, whole seconds since the epoch' }) iat?: number;
  @ApiPropertyOptional({ enum: ['Bearer'] }) token_type?: 'Bearer';
}

/** The request in a parsed body, or a TokenError saying what to send instead. */
export function parseIntrospectionRequest(body: unknown): IntrospectionRequest {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const { token } = fields;
  if (typeof token !== 'string' || token.length === 0) {
    throw new TokenError(
      AuthErrorCode.InvalidRequest,
      'invalid_request: send one non-empty "token" field, as JSON or application/x-www-form-urlencoded',
    );
  }
  return { token };
}
