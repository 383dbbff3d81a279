import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Registry } from 'prom-client';

import { Access, Rule } from '../access/access-rule';
import { METRICS_REGISTRY } from './metrics.registry';

@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  // Per-caller labels (subjects) and traffic shapes are not for everyone: scrapers present
  // MLRUN_METRICS_TOKEN, and a service without one serves its metrics to no one.
  @Get('metrics')
  @Access(Rule.service('metrics'))
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
