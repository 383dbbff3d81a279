import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { RegistryErrorCode } from '@ml-run/registry-contract';

/** Every refusal: a stable code and a message that says what to fix. */
export class ErrorResponseDto {
  @ApiProperty({ example: RegistryErrorCode.VersionNotFound }) code!: string;
  @ApiProperty({ example: 'model iris has no version 9.9.9+000000000000; versions: ...' })
  message!: string;
  @ApiPropertyOptional({ description: 'Per-field problems (an invalid manifest)' })
  details?: unknown;
}
