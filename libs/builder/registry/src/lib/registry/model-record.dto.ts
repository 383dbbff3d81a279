import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { RUNTIME_KINDS, type RuntimeKind } from '@ml-run/model-contract';
import {
  VERSION_STATES,
  type AliasTarget,
  type ImageUpload,
  type ModelImage,
  type ModelListResponse,
  type ModelOwners,
  type ModelRecord,
  type ModelVersionRecord,
  type RouteTable,
  type VersionState,
} from '@ml-run/registry-contract';

import { DeploymentRecordDto } from './deployment-record.dto';

export class ImageUploadDto implements ImageUpload {
  @ApiProperty({ example: 7 }) layers!: number;
  @ApiProperty({ example: 1, description: 'Layers the registry did not have yet' })
  pushedLayers!: number;
  @ApiPropertyOptional({ example: 1402, description: 'Compressed bytes uploaded' })
  pushedBytes?: number;
  @ApiPropertyOptional({ example: 84113920, description: 'Compressed bytes of all layers' })
  imageBytes?: number;
}

export class ModelImageDto implements ModelImage {
  @ApiProperty({
    example:
      '127.0.0.1:5000/ml-run/iris@sha256:4f1c9e0d2b7a8c3e5f6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60',
    description: 'repository@digest: what deployments run',
  })
  reference!: string;
  @ApiProperty({ example: '127.0.0.1:5000/ml-run/iris:1.0.0_6526c66fa490' }) tag!: string;
  @ApiProperty({
    example: 'sha256:4f1c9e0d2b7a8c3e5f6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60',
  })
  digest!: string;
  @ApiProperty({ description: 'Bytes of the manifest, as the registry push reported them' })
  size!: number;
  @ApiPropertyOptional({ type: ImageUploadDto, description: 'What the push uploaded' })
  upload?: ImageUploadDto;
  @ApiProperty({ format: 'date-time' }) pushedAt!: string;
}

export class ModelVersionDto implements ModelVersionRecord {
  @ApiProperty({ example: 'iris' }) name!: string;
  @ApiProperty({ example: '1.0.0+6526c66fa490' }) version!: string;
  @ApiProperty({ example: '1.0.0' }) codeVersion!: string;
  @ApiProperty({ description: 'sha256 of the coefficients listing' }) coefficientsDigest!: string;
  @ApiPropertyOptional({ example: '2026-11-28' }) coefficientsVersion?: string;
  @ApiProperty({ enum: RUNTIME_KINDS }) runtime!: RuntimeKind;
  @ApiProperty({ description: "sha256 of the uploaded zip (the bundle's address)" })
  bundleSha256!: string;
  @ApiProperty() bundleBytes!: number;
  @ApiProperty({ description: "The manifest's replicas: a deployment's default" })
  defaultReplicas!: number;
  @ApiProperty({ example: 'ada' }) uploadedBy!: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt!: string;
  @ApiProperty() buildId!: string;
  @ApiProperty({ enum: VERSION_STATES }) state!: VersionState;
  @ApiPropertyOptional({
    type: ModelImageDto,
    description: 'The pushed image (builders that make images); set once its push succeeded',
  })
  image?: ModelImageDto;
}

export class WeightedVersionDto {
  @ApiProperty({ example: '1.0.0+6526c66fa490' }) version!: string;
  @ApiProperty({ minimum: 0, maximum: 100, example: 90 }) weight!: number;
}

export class AliasTargetDto implements AliasTarget {
  @ApiProperty({ type: [WeightedVersionDto], description: 'Weights are integers summing to 100' })
  versions!: WeightedVersionDto[];
}

export class ModelOwnersDto implements ModelOwners {
  @ApiProperty({ type: [String], example: ['ada'], description: 'The user who created it' })
  users!: string[];
  @ApiProperty({ type: [String], example: ['data-team'], description: 'Groups named then' })
  groups!: string[];
  @ApiProperty({
    enum: ['creation', 'migration'],
    description: "migration: from before models had owners; the admins' alone",
  })
  assignedBy!: 'creation' | 'migration';
  @ApiProperty({ format: 'date-time' }) assignedAt!: string;
}

export class ModelRecordDto implements ModelRecord {
  @ApiProperty({ example: 'iris' }) name!: string;
  @ApiPropertyOptional({
    type: ModelOwnersDto,
    description: 'Who may change it (with models:write on it); admins may change every model',
  })
  owners?: ModelOwnersDto;
  @ApiProperty({ type: [ModelVersionDto] }) versions!: ModelVersionDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/AliasTargetDto' },
  })
  aliases!: Record<string, AliasTargetDto>;
  @ApiProperty({ type: [DeploymentRecordDto] }) deployments!: DeploymentRecordDto[];
}

export class ModelSummaryDto {
  @ApiProperty({ example: 'iris' }) name!: string;
  @ApiProperty({ example: '1.0.0+6526c66fa490', description: 'The last uploaded' })
  latestVersion!: string;
  @ApiProperty({ description: 'How many versions' }) versions!: number;
  @ApiProperty({ type: [String], example: ['stable'] }) aliases!: string[];
  @ApiProperty({ type: [String], description: 'Deployed versions' }) deployed!: string[];
}

export class ModelListDto implements ModelListResponse {
  @ApiProperty({ type: [ModelSummaryDto] }) models!: ModelSummaryDto[];
}

export class RouteTableDto implements RouteTable {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Per model: READY replica URLs per deployed version, and the aliases',
    example: {
      iris: {
        versions: { '1.0.0+6526c66fa490': ['http://127.0.0.1:9101'] },
        aliases: { stable: { versions: [{ version: '1.0.0+6526c66fa490', weight: 100 }] } },
      },
    },
  })
  models!: RouteTable['models'];
}
