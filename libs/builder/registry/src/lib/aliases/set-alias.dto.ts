import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import type { AliasTarget } from '@ml-run/registry-contract';

import { WeightedVersionDto } from '../registry/model-record.dto';

/** `PUT /v1/models/{name}/aliases/{alias}` body: one version, or weighted versions. */
export class SetAliasDto {
  @ApiPropertyOptional({ example: '1.0.0+6526c66fa490', description: 'All traffic to one version' })
  version?: string;
  @ApiPropertyOptional({
    type: [WeightedVersionDto],
    description: 'A split (canary): integer weights summing to 100',
  })
  versions?: WeightedVersionDto[];
}

/** The alias as stored. */
export class AliasResponseDto implements AliasTarget {
  @ApiProperty({ example: 'iris' }) name!: string;
  @ApiProperty({ example: 'stable' }) alias!: string;
  @ApiProperty({ type: [WeightedVersionDto] }) versions!: WeightedVersionDto[];
}
