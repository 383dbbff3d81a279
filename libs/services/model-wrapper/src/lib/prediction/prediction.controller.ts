import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { Access, requestAnnotations, Rule } from '@ml-run/server';

import { PREDICT_THIS_MODEL } from '../authorization/predict-access.enforcer';
import { PredictionService } from './prediction.service';

@ApiTags('prediction')
@Controller('v1')
export class PredictionController {
  constructor(private readonly predictions: PredictionService) {}

  @Post('predict')
  @Access(Rule.token(PREDICT_THIS_MODEL))
  @HttpCode(200)
  @ApiOperation({
    summary: "Runs the model's predict on the raw request body and returns its string",
  })
  @ApiConsumes('application/json', 'text/plain', '*/*')
  @ApiProduces('application/json', 'text/plain')
  @ApiBody({ description: 'Any text; passed to predict unchanged', schema: { type: 'string' } })
  @ApiResponse({ status: 200, description: "The model's output, unchanged" })
  @ApiResponse({ status: 413, description: 'Body over MLRUN_MAX_BODY_BYTES' })
  @ApiResponse({ status: 422, description: 'The model raised an error for this input' })
  @ApiResponse({ status: 429, description: 'In-flight limit reached; see Retry-After' })
  @ApiResponse({ status: 502, description: 'The worker serving the request died' })
  @ApiResponse({ status: 503, description: 'Model not ready or failed to initialize' })
  async predict(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const caller = requestAnnotations(request.raw)?.['sub'];
    const output = await this.predictions.predict(
      bodyText(request.body),
      typeof caller === 'string' ? caller : undefined,
    );
    // JSON in, JSON out: the platform mirrors the caller's choice and never parses output.
    const json = request.headers['content-type']?.startsWith('application/json') ?? false;
    void reply
      .type(json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8')
      .send(output);
  }
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return '';
}
