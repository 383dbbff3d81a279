import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';

import { exponentialDelayMs, type ExponentialDelay } from '@ml-run/async';
import { EVENT_SUBSCRIBER, type EventSubscriber, type Unsubscribe } from '@ml-run/event-bus';
import { MODEL_EVENTS_TOPIC, type ModelEvent, type RouteTable } from '@ml-run/registry-contract';
import type { Readiness, ReadinessCheck } from '@ml-run/server';

import { ROUTE_SNAPSHOT, type RouteSnapshot } from './route-snapshot.port';
import { RoutingTable } from './routing-table';

// Events that may change what serves predictions; upload and build events cannot.
const ROUTE_EVENTS: ReadonlySet<ModelEvent['type']> = new Set([
  'deployment.ready',
  'deployment.changed',
  'deployment.failed',
  'deployment.removed',
  'alias.changed',
]);

/** Milliseconds between two reconciling snapshots (MLRUN_ROUTES_RECONCILE_SECONDS). */
export const RECONCILE_INTERVAL_MS = Symbol('RECONCILE_INTERVAL_MS');

/**
 * Between snapshot attempts: doubles from about 200 ms up to about 5 s, ±20 % so routers
 * restarted together do not hit a recovering builder in lockstep.
 */
export const SNAPSHOT_RETRY: ExponentialDelay = { initialMs: 200, maxMs: 5_000, jitter: 0.2 };

/**
 * Keeps the routing table current: a snapshot at start (retried until the builder answers),
 * then a fresh snapshot after each lifecycle event, after an event gap and every reconcile
 * interval. An event is only a hint to reload: its payload is never read, because anyone
 * who can publish on the bus could name any endpoint in it, and the router would send
 * callers and their bearer tokens there. Replica URLs come only from the builder's
 * authenticated route table. Loads coalesce: events during a load cause one more load
 * after it, so a burst of events costs at most two snapshots.
 */
@Injectable()
export class RouteSync
  implements ReadinessCheck, OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  private readonly logger = new Logger(RouteSync.name);
  private readonly stopping = new AbortController();
  private unsubscribe?: Unsubscribe;
  private loading?: Promise<void>;
  // The latest reason asked for while a load was running: one more load follows it.
  private requested?: string;
  private reconciler?: NodeJS.Timeout;
  /** Route tables loaded, by what asked for them (start, event, event gap, reconcile, reload). */
  readonly loads = new Map<string, number>();

  constructor(
    @Inject(EVENT_SUBSCRIBER) private readonly events: EventSubscriber,
    @Inject(ROUTE_SNAPSHOT) private readonly snapshot: RouteSnapshot,
    private readonly table: RoutingTable,
    @Inject(RECONCILE_INTERVAL_MS) private readonly reconcileMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.events.subscribe<ModelEvent>(
      MODEL_EVENTS_TOPIC,
      (event) => this.onEvent(event),
      { onGap: () => this.resync('event gap') },
    );
    this.resync('start');
    this.reconciler = setInterval(() => this.resync('reconcile'), this.reconcileMs);
    this.reconciler.unref();
  }

  readiness(): Readiness {
    return {
      ready: this.table.loaded,
      details: {
        routes: this.table.loaded ? 'loaded' : 'waiting for the route snapshot',
        endpoints: this.table.endpointCount(),
      },
    };
  }

  /** Resolves when the snapshot being loaded (if any) is in; for tests and embedded start. */
  async settled(): Promise<void> {
    while (this.loading) await this.loading;
  }

  /** Loads a fresh snapshot; requests made during a load run one more after it. */
  resync(reason: string): void {
    if (this.loading) {
      this.requested = reason;
      return;
    }
    this.loading = this.load(reason).finally(() => (this.loading = undefined));
  }

  onModuleDestroy(): void {
    clearInterval(this.reconciler);
    this.stopping.abort();
    this.unsubscribe?.();
  }

  // After the HTTP server has closed: nothing is in flight, the sockets can go.
  onApplicationShutdown(): void {
    this.table.clear();
  }

  // Only the type is looked at, to skip events that cannot change a route.
  private onEvent(event: ModelEvent): void {
    if (ROUTE_EVENTS.has(event?.type)) this.resync('event');
  }

  private async load(first: string): Promise<void> {
    let reason: string | undefined = first;
    for (; reason && !this.stopping.signal.aborted; reason = this.requested) {
      this.requested = undefined;
      const snapshot = await this.fetchUntilAnswered(reason);
      if (!snapshot) return;
      this.table.replace(snapshot);
      this.loads.set(reason, (this.loads.get(reason) ?? 0) + 1);
      const models = Object.keys(snapshot.models).length;
      const facts = { reason, models, endpoints: this.table.endpointCount() };
      // Every reconcile or event would repeat the same line: only the unusual loads are news.
      if (reason === 'reconcile' || reason === 'event') {
        this.logger.debug(facts, 'route snapshot loaded');
      } else this.logger.log(facts, 'route snapshot loaded');
    }
  }

  private async fetchUntilAnswered(reason: string): Promise<RouteTable | undefined> {
    const { signal } = this.stopping;
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        return await this.snapshot(signal);
      } catch (error) {
        if (signal.aborted) return undefined;
        const delayMs = exponentialDelayMs(attempt, SNAPSHOT_RETRY);
        const message = error instanceof Error ? error.message : String(error);
        this.logger.warn({ reason, attempt, delayMs, error: message }, 'route snapshot failed');
        await sleep(delayMs, undefined, { signal }).catch(() => undefined);
      }
    }
    return undefined;
  }
}
