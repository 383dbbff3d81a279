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

/** A predict request on its way: where it goes, and what it brings along. */
type PredictCall = {
  pool: UpstreamPool;
  first: Upstream;
  request: ForwardedRequest;
  incoming: IncomingMessage | undefined;
  /** Its label in the metrics (UNKNOWN_MODEL for a name the table does not have). */
  model: string;
};

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
   * version and replica chosen go on `incoming`'s completion log line, and the version to
   * `chosen` (the asynchronous path records which version answered).
   */
  // Promise chains rather than async functions: an answer costs one promise of its own and
  // one `then` (each async step, and each promise, is paid again by the process's promise
  // hooks); the retry and the failure handling hang off that `then`.
  predict(
    target: RouteTarget,
    request: ForwardedRequest,
    incoming?: IncomingMessage,
    chosen?: (version: string) => void,
  ): Promise<UpstreamAnswer> {
    const model = this.table.model(target.name) ? target.name : UNKNOWN_MODEL;
    let call: PredictCall;
    try {
      call = this.route(target, request, incoming, model);
    } catch (error) {
      this.metrics.request(model, mapRouterError(error)?.status ?? 500);
      return Promise.reject(error);
    }
    this.inflight.begin(call.pool);
    chosen?.(call.pool.version);
    return this.attempt(call, call.first, false);
  }

  // Where the request goes; throws when there is nowhere to send it.
  private route(
    target: RouteTarget,
    request: ForwardedRequest,
    incoming: IncomingMessage | undefined,
    model: string,
  ): PredictCall {
    if (!this.table.loaded) {
      throw new RouterError(
        RouterErrorCode.RoutesNotLoaded,
        'the router is still loading its routes from the builder; retry in a second',
      );
    }
    const now = Date.now();
    const pool = resolveRoute(this.table, target, this.drawFor(target), now);
    const first = pickLeastOutstanding(pool, now);
    if (incoming) {
      annotateRequest(
        incoming,
        first
          ? { model: pool.name, version: pool.version, upstream: first.url }
          : { model: pool.name, version: pool.version },
      );
    }
    if (!first) throw noReadyReplica(pool);
    return { pool, first, request, incoming, model };
  }

  // A version pins the pool; only an alias has a split to draw for.
  private drawFor(target: RouteTarget): number {
    return 'alias' in target ? this.settings.random(`${target.name}/${target.alias}`) : 0;
  }

  private attempt(
    call: PredictCall,
    upstream: Upstream,
    retried: boolean,
  ): Promise<UpstreamAnswer> {
    acquireUpstream(upstream);
    const started = performance.now();
    const { timeoutMs, maxAnswerBytes } = this.settings;
    return sendUpstream(upstream, call.request, timeoutMs, maxAnswerBytes).then(
      (answer) => this.answered(call, upstream, started, retried, answer),
      (error: unknown) => this.failed(call, upstream, started, retried, error),
    );
  }

  private answered(
    call: PredictCall,
    upstream: Upstream,
    started: number,
    retried: boolean,
    arrived: UpstreamAnswer,
  ): UpstreamAnswer | Promise<UpstreamAnswer> {
    let answer: UpstreamAnswer;
    try {
      answer = wholeIfArrived(arrived);
    } catch (error) {
      return this.failed(call, upstream, started, retried, error);
    }
    // A chunked answer can outgrow the cap in the packets that brought its head: nothing
    // has been passed on yet, so the caller still gets a 502.
    if (!Buffer.isBuffer(answer.body) && answer.body.errored) {
      return this.failed(call, upstream, started, retried, answer.body.errored);
    }
    // Time to the answer's head: its body streams on while the caller reads it.
    this.metrics.upstream(call.pool.name, (performance.now() - started) / 1000);
    // Until the answer's body has been passed on, or abandoned, the replica and the
    // version still count the request as outstanding.
    if (Buffer.isBuffer(answer.body)) this.passedOn(call, upstream);
    else finished(answer.body, () => this.passedOn(call, upstream));
    this.metrics.request(call.model, answer.status);
    return answer;
  }

  private passedOn(call: PredictCall, upstream: Upstream): void {
    releaseUpstream(upstream);
    this.inflight.end(call.pool);
  }

  // A connection failure means the replica never took the request, so one more replica may,
  // when the body sent so far can be sent again; any other failure may have run predict
  // already, and a predict is not assumed idempotent.
  private failed(
    call: PredictCall,
    upstream: Upstream,
    started: number,
    retried: boolean,
    error: unknown,
  ): Promise<UpstreamAnswer> {
    releaseUpstream(upstream);
    this.noteFailure(call.pool, upstream, error, started);
    const { pool, request, incoming } = call;
    const retryable =
      !retried &&
      error instanceof UpstreamError &&
      error.kind === 'connect' &&
      request.body.replayable;
    const second = retryable ? this.retryTarget(pool, upstream, error) : undefined;
    if (second) {
      this.metrics.retry(pool.name);
      if (incoming) annotateRequest(incoming, { upstream: second.url, retriedFrom: upstream.url });
      return this.attempt(call, second, true);
    }
    this.inflight.end(pool);
    const failure = this.failure(pool, error, retried ? 2 : request.body.replayable ? 1 : 0);
    this.metrics.request(call.model, mapRouterError(failure)?.status ?? 500);
    return Promise.reject(failure);
  }

  private retryTarget(pool: UpstreamPool, failed: Upstream, error: UpstreamError) {
    // A keep-alive socket the replica closed as it was reused: a fresh one to it is fine.
    return (
      pickLeastOutstanding(pool, Date.now(), failed) ?? (error.staleSocket ? failed : undefined)
    );
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
