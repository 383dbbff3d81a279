import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';

import { annotateRequest } from '@ml-run/server';

import { InflightCounter } from '../balancing/inflight-counter';
import { markSuspect, pickLeastOutstanding } from '../balancing/least-outstanding';
import { acquireUpstream, releaseUpstream, type Upstream } from '../balancing/upstream';
import type { UpstreamPool } from '../balancing/upstream-pool';
import { mapRouterError, RouterError, RouterErrorCode } from '../router.errors';
import { noReadyReplica, resolveRoute, type RouteTarget } from '../routes/route-resolver';
import { RoutingTable } from '../routes/routing-table';
import { PredictionMetrics, UNKNOWN_MODEL } from './prediction.metrics';
import { PROXY_SETTINGS, type ProxySettings } from './proxy-settings';
import {
  sendUpstream,
  UpstreamError,
  wholeIfArrived,
  type ForwardedRequest,
  type UpstreamAnswer,
} from './upstream-client';

/** One predict request: resolve the version, pick a replica, forward, retry once if unreachable. */
@Injectable()
export class PredictionService {
  private readonly logger = new Logger(PredictionService.name);

  constructor(
    private readonly table: RoutingTable,
    private readonly inflight: InflightCounter,
    private readonly metrics: PredictionMetrics,
    @Inject(PROXY_SETTINGS) private readonly settings: ProxySettings,
  ) {}

  /**
   * The replica's answer, whatever its status; RouterError when none could give one. The
   * version and replica chosen go on `incoming`'s completion log line.
   */
  async predict(
    target: RouteTarget,
    request: ForwardedRequest,
    incoming?: IncomingMessage,
  ): Promise<UpstreamAnswer> {
    const model = this.table.model(target.name) ? target.name : UNKNOWN_MODEL;
    let status = 500;
    try {
      const answer = await this.route(target, request, incoming);
      status = answer.status;
      return answer;
    } catch (error) {
      status = mapRouterError(error)?.status ?? 500;
      throw error;
    } finally {
      this.metrics.request(model, status);
    }
  }

  private async route(
    target: RouteTarget,
    request: ForwardedRequest,
    incoming: IncomingMessage | undefined,
  ): Promise<UpstreamAnswer> {
    if (!this.table.loaded) {
      throw new RouterError(
        RouterErrorCode.RoutesNotLoaded,
        'the router is still loading its routes from the builder; retry in a second',
      );
    }
    const now = Date.now();
    const pool = resolveRoute(this.table, target, this.settings.random(), now);
    if (incoming) annotateRequest(incoming, { model: pool.name, version: pool.version });
    const first = pickLeastOutstanding(pool, now);
    if (!first) throw noReadyReplica(pool);
    this.inflight.begin(pool);
    try {
      return whenPassedOn(await this.forward(pool, first, request, incoming), () =>
        this.inflight.end(pool),
      );
    } catch (error) {
      this.inflight.end(pool);
      throw error;
    }
  }

  // A connection failure means the replica never took the request, so one more replica may,
  // when the body sent so far can be sent again; any other failure may have run predict
  // already, and a predict is not assumed idempotent.
  private async forward(
    pool: UpstreamPool,
    first: Upstream,
    request: ForwardedRequest,
    incoming: IncomingMessage | undefined,
  ): Promise<UpstreamAnswer> {
    if (incoming) annotateRequest(incoming, { upstream: first.url });
    try {
      return await this.attempt(pool, first, request);
    } catch (error) {
      const retryable =
        error instanceof UpstreamError && error.kind === 'connect' && request.body.replayable;
      const second = retryable ? this.retryTarget(pool, first, error) : undefined;
      if (!second) throw this.failure(pool, error, request.body.replayable ? 1 : 0);
      this.metrics.retry(pool.name);
      if (incoming) annotateRequest(incoming, { upstream: second.url, retriedFrom: first.url });
      try {
        return await this.attempt(pool, second, request);
      } catch (again) {
        throw this.failure(pool, again, 2);
      }
    }
  }

  private retryTarget(pool: UpstreamPool, failed: Upstream, error: UpstreamError) {
    // A keep-alive socket the replica closed as it was reused: a fresh one to it is fine.
    return (
      pickLeastOutstanding(pool, Date.now(), failed) ?? (error.staleSocket ? failed : undefined)
    );
  }

  private async attempt(
    pool: UpstreamPool,
    upstream: Upstream,
    request: ForwardedRequest,
  ): Promise<UpstreamAnswer> {
    acquireUpstream(upstream);
    const started = performance.now();
    try {
      const { timeoutMs, maxAnswerBytes } = this.settings;
      const answer = wholeIfArrived(
        await sendUpstream(upstream, request, timeoutMs, maxAnswerBytes),
      );
      // A chunked answer can outgrow the cap in the packets that brought its head: nothing
      // has been passed on yet, so the caller still gets a 502.
      if (!Buffer.isBuffer(answer.body) && answer.body.errored) throw answer.body.errored;
      // Time to the answer's head: its body streams on while the caller reads it.
      this.metrics.upstream(pool.name, (performance.now() - started) / 1000);
      return whenPassedOn(answer, () => releaseUpstream(upstream));
    } catch (error) {
      releaseUpstream(upstream);
      this.noteFailure(pool, upstream, error, started);
      throw error;
    }
  }

  private noteFailure(pool: UpstreamPool, upstream: Upstream, error: unknown, started: number) {
    const kind = error instanceof UpstreamError ? error.kind : 'unexpected';
    // The caller's doing, not the replica's.
    if (kind === 'body-too-large' || kind === 'caller-gone') return;
    if (error instanceof UpstreamError && kind === 'connect' && !error.staleSocket) {
      markSuspect(upstream, Date.now());
    } else if (kind !== 'connect') {
      this.metrics.upstream(pool.name, (performance.now() - started) / 1000);
    }
    const { name: model, version } = pool;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      { model, version, upstream: upstream.url, kind, error: message },
      'upstream failed',
    );
  }

  // attempts 0: the one attempt failed, and the body it took can no longer be sent again.
  private failure(pool: UpstreamPool, error: unknown, attempts: number): unknown {
    if (!(error instanceof UpstreamError)) return error;
    const subject = `${pool.name}@${pool.version}`;
    if (error.kind === 'timeout') {
      return new RouterError(
        RouterErrorCode.UpstreamTimeout,
        `${subject} did not answer within ${this.settings.timeoutMs} ms (MLRUN_UPSTREAM_TIMEOUT_MS)`,
      );
    }
    if (error.kind === 'too-large') {
      return new RouterError(RouterErrorCode.UpstreamFailed, `${subject}: ${error.message}`);
    }
    if (error.kind === 'body-too-large') {
      return new RouterError(
        RouterErrorCode.PayloadTooLarge,
        `${error.message} (MLRUN_MAX_BODY_BYTES); send a smaller body`,
      );
    }
    if (error.kind === 'caller-gone') {
      return new RouterError(RouterErrorCode.CallerGone, error.message);
    }
    const what =
      error.kind === 'broken'
        ? 'a replica of it failed while answering'
        : attempts > 1
          ? 'two of its replicas could not be reached'
          : attempts === 0
            ? 'its replica could not be reached once more than 64 KiB of the body had gone to it'
            : 'its replica could not be reached and no other one is ready';
    return new RouterError(RouterErrorCode.UpstreamFailed, `${subject}: ${what}; retry later`);
  }
}

// Runs `done` once the answer's body has been passed on, or abandoned: until then the
// replica and the version still count the request as outstanding.
function whenPassedOn(answer: UpstreamAnswer, done: () => void): UpstreamAnswer {
  if (Buffer.isBuffer(answer.body)) done();
  else finished(answer.body, () => done());
  return answer;
}
