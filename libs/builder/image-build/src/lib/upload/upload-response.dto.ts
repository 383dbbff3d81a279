import { ApiProperty } from '@nestjs/swagger';

import type { UploadResponse } from '@ml-run/registry-contract';

/** `POST /v1/models` answer. */
export class UploadResponseDto implements UploadResponse {
  @ApiProperty({ example: 'iris' }) name!: string;
  @ApiProperty({ example: '1.0.0+6526c66fa490' }) version!: string;
  @ApiProperty({ description: 'Follow it at GET /v1/builds/{buildId}/events' }) buildId!: string;
  @ApiProperty({ description: 'false: this content was uploaded before; nothing new is built' })
  created!: boolean;
}
