import type { FastifyReply, FastifyRequest } from 'fastify';

import { requestAnnotations, Rule, type PlainRoute } from '@ml-run/server';

import { PREDICT_THIS_MODEL } from '../authorization/predict-access.enforcer';
import { PredictionService } from './prediction.service';

const JSON_OUTPUT = 'application/json; charset=utf-8';
const TEXT_OUTPUT = 'text/plain; charset=utf-8';

/**
 * POST /v1/predict, served by Fastify without Nest's per-request layer (the wrapper's hot
 * path): the raw body to the model's predict, its string back. Access rule, request id, log
 * line, http metrics and error replies are the shared layer's, as on every route.
 */
export class PredictRoute {
  constructor(private readonly predictions: PredictionService) {}

  handle(request: FastifyRequest, reply: FastifyReply): Promise<string> {
    const caller = requestAnnotations(request.raw)?.['sub'];
    // JSON in, JSON out: the platform mirrors the caller's choice and never parses output.
    const json = request.headers['content-type']?.startsWith('application/json') ?? false;
    const predicted = this.predictions.predict(
      bodyText(request.body),
      typeof caller === 'string' ? caller : undefined,
      request.id,
    );
    // Typed once answered: an error reply keeps the error filter's own content type.
    return predicted.then((output) => {
      void reply.header('content-type', json ? JSON_OUTPUT : TEXT_OUTPUT);
      return output;
    });
  }

  definition(): PlainRoute {
    return {
      method: 'POST',
      url: '/v1/predict',
      access: [Rule.token(PREDICT_THIS_MODEL)],
      handler: (request, reply) => this.handle(request, reply),
      openApi: PREDICT_OPERATION,
    };
  }
}

const anyText = { schema: { type: 'string' } };

const PREDICT_OPERATION = {
  tags: ['prediction'],
  summary: "Runs the model's predict on the raw request body and returns its string",
  requestBody: {
    description: 'Any text; passed to predict unchanged',
    content: { 'application/json': anyText, 'text/plain': anyText, '*/*': anyText },
  },
  responses: {
    200: {
      description: "The model's output, unchanged",
      content: { 'application/json': anyText, 'text/plain': anyText },
    },
    413: { description: 'Body over MLRUN_MAX_BODY_BYTES' },
    422: { description: 'The model raised an error for this input' },
    429: { description: 'In-flight limit reached; see Retry-After' },
    502: { description: 'The worker serving the request died' },
    503: { description: 'Model not ready or failed to initialize' },
  },
};

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return '';
}
