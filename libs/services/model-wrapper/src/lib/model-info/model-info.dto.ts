import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { RUNTIME_KINDS } from '@ml-run/model-contract';
import type { SandboxReport } from '@ml-run/sandbox';

import { ModelState } from '../initialization/model-state';

export class ModelInfoResponseDto {
  @ApiProperty({ example: 'iris' }) name!: string;
  @ApiProperty({ example: '1.2.0+3f9a1b2c4d5e' }) version!: string;
  @ApiProperty({ example: '1.2.0' }) codeVersion!: string;
  @ApiProperty({ description: 'sha256 of the coefficients listing' }) coefficientsDigest!: string;
  @ApiPropertyOptional({ example: '2026-05-01' }) coefficientsVersion?: string;
  @ApiProperty({ enum: RUNTIME_KINDS }) runtime!: string;
  @ApiPropertyOptional({
    description: "What runs the model's code, when the runtime knows it (R models: R's version)",
    example: 'R 4.2.2',
  })
  interpreter?: string;
  @ApiProperty({ enum: Object.values(ModelState) }) state!: string;
  @ApiPropertyOptional({ description: 'init(ctx) plus self-test, in milliseconds' })
  initDurationMs?: number;
  @ApiPropertyOptional({
    description:
      "Why init failed, in the model's own words; only for a token that may predict with this model",
  })
  error?: { code: string; message: string };
  @ApiProperty({ example: { workers: 2, busyWorkers: 0, restarts: 0, oomKills: 0 } })
  workers!: { workers: number; busyWorkers: number; restarts: number; oomKills: number };
  @ApiProperty({
    description:
      "How the model's code is isolated (full: own namespaces and uid; container: a container of their own beside the wrapper's; partial; off) and each limit: enforced or not, and how",
    example: {
      mode: 'auto',
      level: 'full',
      namespaces: true,
      user: { name: 'mlrun-model', uid: 999, gid: 999 },
      limits: {
        memoryBytes: { requested: 536870912, enforced: true, by: 'cgroup-v1' },
        cpus: { requested: 0.5, enforced: true, by: 'cgroup-v1' },
        pids: { requested: 512, enforced: true, by: 'cgroup-v1' },
      },
      warnings: [],
    },
  })
  sandbox!: SandboxReport;
}
