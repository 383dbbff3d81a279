import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

import { BuilderError } from '@ml-run/builder-registry';
import { ContractError } from '@ml-run/model-contract';
import { RegistryErrorCode } from '@ml-run/registry-contract';
import { METRICS_REGISTRY } from '@ml-run/server';

const RESULTS = ['created', 'existing', 'invalid', 'too_large', 'unsupported', 'error'] as const;

export type UploadResult = (typeof RESULTS)[number];

@Injectable()
export class UploadMetrics {
  private readonly uploads: Counter<'result'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.uploads = new Counter({
      name: 'mlrun_uploads_total',
      help: 'Bundle uploads by result: created, existing (same version), or why refused',
      labelNames: ['result'],
      registers: [registry],
    });
    for (const result of RESULTS) this.uploads.inc({ result }, 0);
  }

  counted(result: UploadResult): void {
    this.uploads.inc({ result });
  }

  refused(error: unknown): void {
    this.counted(refusal(error));
  }
}

function refusal(error: unknown): UploadResult {
  if (error instanceof ContractError) return 'invalid';
  if (!(error instanceof BuilderError)) return 'error';
  if (error.code === RegistryErrorCode.BundleTooLarge) return 'too_large';
  if (error.code === RegistryErrorCode.UnsupportedUpload) return 'unsupported';
  return 'error';
}
