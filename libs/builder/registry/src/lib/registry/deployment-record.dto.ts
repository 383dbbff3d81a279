import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import {
  DEPLOY_TARGETS,
  DEPLOYMENT_STATES,
  REPLICA_STATES,
  type DeploymentRecord,
  type DeploymentRequest,
  type DeploymentStream,
  type DeployTarget,
  type ReplicaLimits,
  type ReplicaState,
  type ReplicaStatus,
} from '@ml-run/registry-contract';

export class ReplicaStatusDto implements ReplicaStatus {
  @ApiProperty({ example: 'iris-0' }) id!: string;
  @ApiProperty({ example: 'http://127.0.0.1:9101' }) url!: string;
  @ApiProperty({ enum: REPLICA_STATES }) state!: ReplicaState;
  @ApiProperty() restarts!: number;
  @ApiPropertyOptional({ description: "Why it failed, in the model's own words" })
  error?: string;
}

export class ReplicaLimitsDto implements ReplicaLimits {
  @ApiPropertyOptional({ example: '500m', description: 'CPU time (Kubernetes quantity)' })
  cpu?: string;
  @ApiPropertyOptional({ example: 536_870_912 }) memoryBytes?: number;
  @ApiPropertyOptional({ example: 512, description: 'Processes and threads at once' })
  pids?: number;
  @ApiProperty({
    type: [String],
    description: 'Limits asked for that the target cannot enforce, and why',
  })
  notEnforced!: string[];
}

export class DeploymentRecordDto implements DeploymentRecord {
  @ApiProperty({ example: 'iris' }) name!: string;
  @ApiProperty({ example: '1.0.0+6526c66fa490' }) version!: string;
  @ApiProperty({ enum: DEPLOY_TARGETS }) target!: DeployTarget;
  @ApiProperty({ example: 2 }) replicas!: number;
  @ApiProperty({ enum: DEPLOYMENT_STATES })
  state!: DeploymentRecord['state'];
  @ApiProperty({ type: [ReplicaStatusDto] }) replicaStatus!: ReplicaStatusDto[];
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({
    type: ReplicaLimitsDto,
    description: 'Per-replica limits in force (swarm); a limit not enforced is never listed',
  })
  limits?: ReplicaLimitsDto;
}

export class DeploymentRequestDto implements DeploymentRequest {
  @ApiPropertyOptional({ enum: DEPLOY_TARGETS, description: 'Default: MLRUN_DEFAULT_TARGET' })
  target?: DeployTarget;
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 64,
    description: "Default: the manifest's replicas",
  })
  replicas?: number;
  @ApiPropertyOptional({
    type: 'object',
    properties: { from: { type: 'string' }, to: { type: 'string' } },
    required: ['from', 'to'],
    example: { from: 'ml-run.stream.iris.in', to: 'ml-run.stream.iris.scored' },
    description:
      "Stream scoring: records of `from` scored into `to` (same key), both in the model's namespace ml-run.stream.<name>.; needs Kafka for models. A changed stream restarts the version's replicas; none keeps the current one.",
  })
  stream?: DeploymentStream;
}
