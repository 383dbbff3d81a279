import { Readable } from 'node:stream';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import {
  PredictionDispatcher,
  type PredictionDeliveries,
  type PredictionRun,
} from '@ml-run/async-predictions';
import type { PredictionRequest } from '@ml-run/prediction-contract';
import { DEFAULT_ALIAS } from '@ml-run/registry-contract';
import { REQUEST_ID_HEADER } from '@ml-run/server';

import { PredictionService } from '../prediction/prediction.service';
import { PROXY_SETTINGS, type ProxySettings } from '../prediction/proxy-settings';
import { RequestBody } from '../prediction/request-body';
import type { UpstreamAnswer } from '../prediction/upstream-client';
import { mapRouterError, RouterError, RouterErrorCode } from '../router.errors';

/**
 * Embedded mode, where no replica consumes a topic: the in-process bus's requests, and how
 * this router authenticates to the model's replicas when it runs them. The caller's token
 * is never queued (it may expire while queued, and nothing past acceptance should hold it):
 * the host gives a short-lived platform token with `predict:<model>` only.
 */
export type LocalReplicas = {
  deliveries: PredictionDeliveries;
  credentialFor(model: string): Promise<string>;
  maxInFlight: number;
};

export const LOCAL_REPLICAS = Symbol('LOCAL_REPLICAS');

// Passing states: the request waits on the bus and runs again (as it would wait in a topic).
const RUN_AGAIN = new Set<string>([
  RouterErrorCode.NoReadyReplica,
  RouterErrorCode.RoutesNotLoaded,
  RouterErrorCode.TooManyRequests,
]);

/** Runs the bus's requests on the model's replicas, through this router's own forwarding. */
@Injectable()
export class LocalReplicaDispatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly dispatcher: PredictionDispatcher | undefined;

  constructor(
    private readonly predictions: PredictionService,
    @Inject(PROXY_SETTINGS) private readonly proxy: ProxySettings,
    @Inject(LOCAL_REPLICAS) private readonly local: LocalReplicas | null,
  ) {
    if (local === null) return;
    this.dispatcher = new PredictionDispatcher(local.deliveries, (r) => this.run(r), {
      maxInFlight: local.maxInFlight,
      maxAttempts: 20,
      retryDelayMs: 250,
    });
  }

  onApplicationBootstrap(): void {
    this.dispatcher?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher?.stop();
  }

  private async run(request: PredictionRequest): Promise<PredictionRun> {
    const credential = await (this.local as LocalReplicas).credentialFor(request.model);
    const input = Buffer.from(request.input, 'utf8');
    const forwarded = {
      headers: {
        authorization: `Bearer ${credential}`,
        'content-type': 'text/plain; charset=utf-8',
        [REQUEST_ID_HEADER]: request.id,
      },
      body: new RequestBody(Readable.from([input]), this.proxy.maxBodyBytes, input.length),
    };
    let version = '';
    try {
      const target = { name: request.model, alias: DEFAULT_ALIAS };
      const answer = await this.predictions.predict(target, forwarded, undefined, (v) => {
        version = v;
      });
      return await runOf(answer, version);
    } catch (error) {
      return failedRun(error, version);
    }
  }
}

async function runOf(answer: UpstreamAnswer, version: string): Promise<PredictionRun> {
  const text = await bodyText(answer.body);
  if (answer.status === 200) return { status: 'succeeded', version, output: text };
  const error = errorOf(answer.status, text);
  if (answer.status === 429 || answer.status === 503) return { status: 'retry', error };
  return { status: 'failed', version, error };
}

function failedRun(error: unknown, version: string): PredictionRun {
  const reply = mapRouterError(error);
  const failure = {
    code: reply?.code ?? 'INTERNAL',
    message: reply?.message ?? 'the prediction failed',
  };
  if (error instanceof RouterError && RUN_AGAIN.has(error.code)) {
    return { status: 'retry', error: failure };
  }
  return { status: 'failed', version, error: failure };
}

// A replica's refusal is `{code, message}`; anything else is kept as its status.
function errorOf(status: number, text: string): { code: string; message: string } {
  try {
    const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof parsed.code === 'string' && typeof parsed.message === 'string') {
      return { code: parsed.code, message: parsed.message };
    }
  } catch {
    // not JSON: fall through
  }
  return { code: `HTTP_${status}`, message: text.slice(0, 500) };
}

async function bodyText(body: Buffer | Readable): Promise<string> {
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
