import { Readable } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import type { OperationObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { ASYNC_PREDICT_PATH, PREDICTION_PATH } from '@ml-run/prediction-contract';
import { Rule, type PlainRoute } from '@ml-run/server';

import { PROXY_SETTINGS, type ProxySettings } from '../prediction/proxy-settings';
import { AsyncPredictionError, AsyncPredictionErrorCode } from './async-prediction.errors';
import { AsyncPredictionService, type Acceptance } from './async-prediction.service';
import { callerOf, PREDICT_NAMED_MODEL } from './router-access.enforcer';

/** Names the URL a settled prediction is posted to (an admin-allowlisted host). */
export const CALLBACK_HEADER = 'x-mlrun-callback-url';

/**
 * POST /v1/models/{name}/predict:async and GET /v1/predictions/{id}. Unlike the synchronous
 * predict, the router checks the token itself (scope predict:<name>): no replica will see it.
 */
export function asyncPredictRoutes(app: INestApplicationContext): PlainRoute[] {
  const { maxBodyBytes } = app.get<symbol, ProxySettings>(PROXY_SETTINGS);
  const predictions = app.get(AsyncPredictionService);
  return [
    {
      method: 'POST',
      url: ASYNC_PREDICT_PATH,
      access: [Rule.token(PREDICT_NAMED_MODEL)],
      openApi: ACCEPT_OPERATION,
      handler: (request, reply) => accept(predictions, maxBodyBytes, request, reply),
    },
    {
      method: 'GET',
      url: PREDICTION_PATH,
      access: [Rule.token()],
      openApi: READ_OPERATION,
      handler: async (request) => {
        const { id } = request.params as { id: string };
        return predictions.read(callerOf(request).sub, id);
      },
    },
  ];
}

async function accept(
  predictions: AsyncPredictionService,
  maxBodyBytes: number,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const { name } = request.params as { name: string };
  if (name === '') return reply.callNotFound();
  const callback = request.headers[CALLBACK_HEADER];
  const acceptance: Acceptance = {
    model: name,
    subject: callerOf(request).sub,
    ...(typeof callback === 'string' && { callback }),
  };
  // Everything that can be refused is, before the body is read.
  await predictions.admit(acceptance);
  const input = await readBody(request.body, maxBodyBytes);
  const accepted = await predictions.accept(acceptance, input);
  return reply.status(202).header('location', accepted.location).send(accepted);
}

// The body, as the synchronous predict would pass it on, cut at MLRUN_MAX_BODY_BYTES (a
// declared content-length over it was refused before the body was read).
async function readBody(body: unknown, maxBytes: number): Promise<string> {
  if (!(body instanceof Readable)) return '';
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      body.destroy();
      throw new AsyncPredictionError(
        AsyncPredictionErrorCode.PayloadTooLarge,
        `request body is larger than ${maxBytes} bytes (MLRUN_MAX_BODY_BYTES); send a smaller body`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const anyBody = { schema: { type: 'string' as const } };
const nameParam = {
  name: 'name',
  in: 'path' as const,
  required: true,
  schema: { type: 'string', example: 'iris' },
};

const ACCEPT_OPERATION: OperationObject = {
  summary:
    "Queues a prediction for the model's replicas and answers at once with its id; read the result at the Location",
  tags: ['prediction'],
  parameters: [
    nameParam,
    {
      name: CALLBACK_HEADER,
      in: 'header',
      required: false,
      description:
        'Where to POST the result once settled, signed (x-mlrun-signature: t=<unix>,v1=<HMAC-SHA256 of "<t>.<body>">); its host must resolve into MLRUN_CALLBACK_ALLOWED_CIDRS',
      schema: { type: 'string', example: 'http://127.0.0.1:9999/hook' },
    },
  ],
  requestBody: {
    required: true,
    description: "Any body; passed to the model's predict unchanged, as the synchronous predict",
    content: { 'application/json': anyBody, 'text/plain': anyBody, '*/*': anyBody },
  },
  responses: {
    202: {
      description: 'Accepted: `{id, status: "pending", location}`, and the Location header',
    },
    400: {
      description: 'INVALID_CALLBACK_URL, CALLBACK_NOT_ALLOWED or CALLBACKS_DISABLED',
    },
    401: { description: 'No valid bearer token (WWW-Authenticate says why)' },
    403: { description: 'The token lacks predict:<name>' },
    404: { description: 'MODEL_NOT_FOUND' },
    413: { description: 'PAYLOAD_TOO_LARGE: body over MLRUN_MAX_BODY_BYTES' },
    503: {
      description:
        'ASYNC_PREDICTIONS_UNAVAILABLE (this router has none), ASYNC_QUEUE_UNAVAILABLE or ROUTES_NOT_LOADED',
    },
  },
};

const READ_OPERATION: OperationObject = {
  summary: 'The state and result of one of your asynchronous predictions',
  tags: ['prediction'],
  parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
  responses: {
    200: {
      description:
        '`{id, model, status: pending|succeeded|failed, acceptedAt, expiresAt, version?, output?, error?, completedAt?}`',
    },
    401: { description: 'No valid bearer token' },
    404: {
      description:
        'PREDICTION_NOT_FOUND: unknown, expired (MLRUN_ASYNC_RESULT_TTL_MS), or another subject’s — the same answer for each',
    },
  },
};
