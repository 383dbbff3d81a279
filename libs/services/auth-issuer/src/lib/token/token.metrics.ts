import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@ml-run/server';

/** credentials: wrong; throttled: refused unchecked; unavailable: the directory could not check. */
export type LoginFailureReason = 'credentials' | 'throttled' | 'unavailable';

@Injectable()
export class TokenMetrics {
  private readonly issuedCounter: Counter;
  private readonly failedCounter: Counter<'reason'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.issuedCounter = new Counter({
      name: 'mlrun_tokens_issued_total',
      help: 'Tokens issued by successful logins',
      registers: [registry],
    });
    this.failedCounter = new Counter({
      name: 'mlrun_logins_failed_total',
      help: 'Refused logins: wrong credentials, refused unchecked while throttled, or the user directory unavailable',
      labelNames: ['reason'],
      registers: [registry],
    });
    // Both series exist from the start, so rate() and alerts see a zero, not a gap.
    for (const reason of ['credentials', 'throttled', 'unavailable'] as const)
      this.failedCounter.inc({ reason }, 0);
  }

  issued(): void {
    this.issuedCounter.inc();
  }

  failed(reason: LoginFailureReason): void {
    this.failedCounter.inc({ reason });
  }
}
