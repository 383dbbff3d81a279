import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import {
  BUILD_STATES,
  BUILD_STEP_STATES,
  type BuildRecord,
  type BuildStep,
  type BuildStepName,
} from '@ml-run/registry-contract';

import { STEP_ORDER } from './build-run';

export class BuildStepDto implements BuildStep {
  @ApiProperty({ enum: STEP_ORDER }) name!: BuildStepName;
  @ApiProperty({ enum: BUILD_STEP_STATES })
  state!: BuildStep['state'];
  @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional({ example: '12 files into models/iris/1.0.0+6526c66fa490/bundle' })
  message?: string;
}

export class BuildErrorDto {
  @ApiProperty({ example: 'DEPENDENCIES_FAILED' }) code!: string;
  @ApiProperty() message!: string;
}

/** `GET /v1/builds/{id}`. */
export class BuildRecordDto implements BuildRecord {
  @ApiProperty({ example: 'b-0f9a3c1e-7f5b-4a43-9a43-3f1c2b3d4e5f' }) id!: string;
  @ApiProperty({ example: 'iris' }) name!: string;
  @ApiProperty({ example: '1.0.0+6526c66fa490' }) version!: string;
  @ApiProperty({ enum: BUILD_STATES })
  state!: BuildRecord['state'];
  @ApiProperty({ type: [BuildStepDto] }) steps!: BuildStepDto[];
  @ApiProperty({ type: [String], description: 'The last 500 lines of build output' })
  log!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional({ type: BuildErrorDto }) error?: BuildErrorDto;
}
