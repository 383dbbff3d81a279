import type { INestApplicationContext } from '@nestjs/common';
import type { OperationObject, ParameterObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { Rule, type PlainRoute } from '@ml-run/server';

import { ALIAS_HEADER, forwardedRequest, requestedAlias, sendAnswer } from './forwarding';
import { PredictionService } from './prediction.service';
import { PROXY_SETTINGS, type ProxySettings } from './proxy-settings';

type PredictParams = { name: string; version?: string };

/**
 * The two predict routes, served by Fastify without Nest's per-request layer (see
 * PlainRoute): on the router's hottest path that layer was about a fifth of its CPU per
 * request. The router only checks a bearer header is there; the replica checks the token.
 */
export function predictRoutes(app: INestApplicationContext): PlainRoute[] {
  const { maxBodyBytes } = app.get<symbol, ProxySettings>(PROXY_SETTINGS);
  const predict = predictHandler(app.get(PredictionService), maxBodyBytes);
  return [
    {
      method: 'POST',
      url: '/v1/models/:name/predict',
      access: [Rule.bearerPresent()],
      openApi: exchange(
        'Predicts with the version an alias names (stable unless ?alias= or x-mlrun-alias)',
        ALIAS_PARAMS,
      ),
      handler: (request, reply) => predict(request, reply, false),
    },
    {
      method: 'POST',
      url: '/v1/models/:name/versions/:version/predict',
      access: [Rule.bearerPresent()],
      openApi: exchange('Predicts with one deployed version, whatever the aliases say', [
        pathParam('version', '1.0.0+6526c66fa490'),
      ]),
      handler: (request, reply) => predict(request, reply, true),
    },
  ];
}

type PredictHandler = (request: FastifyRequest, reply: FastifyReply, byVersion: boolean) => void;

function predictHandler(predictions: PredictionService, maxBodyBytes: number): PredictHandler {
  return (request, reply, byVersion) => {
    const { name, version } = request.params as PredictParams;
    // An empty segment is no route, as Nest's adapter had it (`/v1/models//predict`).
    if (name === '' || version === '') return void reply.callNotFound();
    const target = byVersion
      ? { name, version: version ?? '' }
      : { name, alias: requestedAlias(request) };
    // Errors go to Fastify's error handler, so the service's ErrorFilter answers them.
    predictions.predict(target, forwardedRequest(request, maxBodyBytes), request.raw).then(
      (answer) => sendAnswer(reply, answer),
      (error: unknown) => reply.send(error),
    );
  };
}

const ALIAS_PARAMS: ParameterObject[] = [
  {
    name: ALIAS_HEADER,
    in: 'header',
    required: false,
    description: 'Alias, when ?alias= is not set',
    schema: { type: 'string' },
  },
  {
    name: 'alias',
    in: 'query',
    required: false,
    description: 'Alias to use; default stable',
    schema: { type: 'string' },
  },
];

const pathParam = (name: string, example: string): ParameterObject => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', example },
});

// What both predict paths share: the body passes through untouched, and so does the answer.
function exchange(summary: string, parameters: ParameterObject[]): OperationObject {
  const anyBody = { schema: { type: 'string' as const } };
  return {
    summary,
    tags: ['prediction'],
    parameters: [pathParam('name', 'iris'), ...parameters],
    requestBody: {
      required: true,
      description: "Any body; passed to the model's predict unchanged",
      content: { 'application/json': anyBody, 'text/plain': anyBody, '*/*': anyBody },
    },
    responses: {
      200: { description: "The replica's answer: status, body and content-type as it sent them" },
      401: {
        description: 'From the replica: no valid bearer token (WWW-Authenticate passed back)',
      },
      404: {
        description:
          'MODEL_NOT_FOUND, VERSION_NOT_FOUND or ALIAS_NOT_FOUND; the message lists what exists',
      },
      413: { description: 'PAYLOAD_TOO_LARGE: body over MLRUN_MAX_BODY_BYTES' },
      502: {
        description: 'UPSTREAM_FAILED: no replica could be reached, after one retry on another',
      },
      503: { description: 'NO_READY_REPLICA or ROUTES_NOT_LOADED; see Retry-After' },
      504: { description: 'UPSTREAM_TIMEOUT: no answer within MLRUN_UPSTREAM_TIMEOUT_MS' },
    },
  };
}
