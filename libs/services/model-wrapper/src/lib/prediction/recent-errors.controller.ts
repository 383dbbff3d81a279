import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { RecentErrorsResponse } from '@ml-run/registry-contract';
import { Access, Rule } from '@ml-run/server';

import { RecentPredictionErrors } from './recent-errors';

@ApiTags('prediction')
@ApiBearerAuth()
@Controller('v1')
export class RecentErrorsController {
  constructor(private readonly errors: RecentPredictionErrors) {}

  // Like /metrics: the builder reads it with the scrape credential (the console's "Recent
  // errors"); a model's error messages are not for every predict caller.
  @Get('errors')
  @Access(Rule.service('metrics'))
  @ApiOperation({
    summary:
      'The last 50 failed predictions (5xx, model errors), newest first: time, status, code, message, request id; never bodies or tokens',
  })
  @ApiOkResponse({ description: '{ errors: RecentError[] }' })
  list(): RecentErrorsResponse {
    return { errors: this.errors.list() };
  }
}
