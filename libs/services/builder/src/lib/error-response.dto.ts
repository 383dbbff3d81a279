import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Every refusal: a stable code and a message that says what to fix. */
export class ErrorResponseDto {
  @ApiProperty({ example: 'VERSION_NOT_FOUND' }) code!: string;
  @ApiProperty({ example: 'model iris has no version 9.9.9+000000000000; versions: ...' })
  message!: string;
  @ApiPropertyOptional({ description: 'Per-field problems (an invalid manifest)' })
  details?: unknown;
}
