import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Registry } from 'prom-client';

import { Access, Rule } from '../access/access-rule';
import { METRICS_REGISTRY } from './metrics.registry';

@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  // Public until scrape credentials exist (MLRUN_METRICS_TOKEN, planned).
  @Get('metrics')
  @Access(Rule.public())
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
