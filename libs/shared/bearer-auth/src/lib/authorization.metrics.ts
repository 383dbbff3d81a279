import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@ml-run/server';

import { L1TokenCache } from './l1-token-cache';

/** The published cost of authorization (docs/architecture.md §3.9). */
@Injectable()
export class AuthorizationMetrics {
  // L1 lookups are counted in plain numbers on the hot path and added to the counter when
  // /metrics is scraped (its collect): a warm hit pays no prom-client inc().
  readonly l1Hits = new LookupTally('hit');
  readonly l1Misses = new LookupTally('miss');
  readonly validatorCalls: Counter<'result'>;
  readonly validatorLatency: Histogram;
  readonly rejections: Counter<'reason'>;
  readonly revocations: Counter;
  readonly signedTokenChecks: Counter<'result'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, cache: L1TokenCache) {
    const tallies = [this.l1Hits, this.l1Misses];
    new Counter({
      name: 'mlrun_auth_l1_lookups_total',
      help: 'L1 token cache lookups; hit = answered without the validator',
      labelNames: ['result'],
      registers: [registry],
      collect() {
        for (const tally of tallies) {
          if (tally.count > 0) this.inc({ result: tally.result }, tally.count);
          tally.count = 0;
        }
      },
    });
    this.validatorCalls = new Counter({
      name: 'mlrun_auth_validator_calls_total',
      help: 'Introspection calls to the token-validator by result (active, inactive, error)',
      labelNames: ['result'],
      registers: [registry],
    });
    this.validatorLatency = new Histogram({
      name: 'mlrun_auth_validator_call_duration_seconds',
      help: 'Latency of introspection calls',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.rejections = new Counter({
      name: 'mlrun_auth_rejections_total',
      help: 'Predict calls refused by authorization, by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.revocations = new Counter({
      name: 'mlrun_auth_revocations_received_total',
      help: 'token.revoked events received (each evicts the token from L1)',
      registers: [registry],
    });
    this.signedTokenChecks = signedTokenChecksCounter(registry);
    registerL1SizeGauge(registry, cache);
  }
}

/** One lookup outcome's count since the last scrape. */
class LookupTally {
  count = 0;

  constructor(readonly result: 'hit' | 'miss') {}

  inc(): void {
    this.count++;
  }
}

function signedTokenChecksCounter(registry: Registry): Counter<'result'> {
  return new Counter({
    name: 'mlrun_auth_signed_token_checks_total',
    help: 'Signed tokens checked here, without the validator, by result (valid, invalid, expired, unknown-kid, unvouched)',
    labelNames: ['result'],
    registers: [registry],
  });
}

// Sampled at scrape time: the hot path pays nothing for it.
function registerL1SizeGauge(registry: Registry, cache: L1TokenCache): void {
  new Gauge({
    name: 'mlrun_auth_l1_entries',
    help: 'Tokens held in the L1 cache',
    registers: [registry],
    collect() {
      this.set(cache.size);
    },
  });
}
