import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@ml-run/server';

@Injectable()
export class RevocationMetrics {
  private readonly revokedCounter: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.revokedCounter = new Counter({
      name: 'mlrun_tokens_revoked_total',
      help: 'Live tokens revoked (unknown or expired tokens are not counted)',
      registers: [registry],
    });
  }

  revoked(): void {
    this.revokedCounter.inc();
  }
}
