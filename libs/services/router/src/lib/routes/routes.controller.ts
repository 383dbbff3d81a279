import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Access, Rule } from '@ml-run/server';

import { InflightCounter, versionKey } from '../balancing/inflight-counter';
import { RoutingTable } from './routing-table';

@ApiTags('routes')
@Controller('v1/routes')
export class RoutesController {
  constructor(
    private readonly table: RoutingTable,
    private readonly inflight: InflightCounter,
  ) {}

  @Get('inflight')
  @Access(Rule.service('route-table'))
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Predictions in flight per model version; a version being drained is done at 0',
  })
  @ApiOkResponse({
    description: 'Every routed version, and any version no longer routed with requests still open',
    schema: {
      type: 'object',
      additionalProperties: { type: 'integer', minimum: 0 },
      example: { 'iris@1.0.0+6526c66fa490': 3, 'iris@1.1.0+6526c66fa490': 0 },
    },
  })
  inflightCounts(): Record<string, number> {
    return Object.fromEntries(
      this.inflight.counts(this.table.versions()).map((c) => [versionKey(c), c.count]),
    );
  }
}
