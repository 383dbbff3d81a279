import { Logger } from '@nestjs/common';

import { exponentialDelayMs } from '@ml-run/async';
import { until } from '@ml-run/async/testing';
import {
  MemoryEventBus,
  type BusEvent,
  type EventHandler,
  type SubscribeOptions,
} from '@ml-run/event-bus';
import { MODEL_EVENTS_TOPIC, type RouteTable } from '@ml-run/registry-contract';

import { aliasOf, deploymentEvent, routesOf } from '../../testing/start-test-router';
import { RouteSync, SNAPSHOT_RETRY } from './route-sync.service';
import { RoutingTable } from './routing-table';

const A = 'http://127.0.0.1:9001';
const B = 'http://127.0.0.1:9002';
const HOUR_MS = 3_600_000;

// A bus that hands the test its subscriber's onGap, as a reconnecting Kafka consumer would.
class GappyBus extends MemoryEventBus {
  onGap?: () => void;

  override subscribe<E extends BusEvent>(
    topic: string,
    handler: EventHandler<E>,
    options?: SubscribeOptions,
  ) {
    this.onGap = options?.onGap;
    return super.subscribe(topic, handler);
  }
}

describe(RouteSync.name, () => {
  const urlsOf = (name: string, version: string) =>
    table
      .model(name)
      ?.versions.get(version)
      ?.upstreams.map((upstream) => upstream.url);

  let bus: GappyBus;
  let table: RoutingTable;
  let snapshots: (() => Promise<RouteTable>)[];
  let sut: RouteSync;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    bus = new GappyBus();
    table = new RoutingTable();
    snapshots = [];
    const snapshot = () => (snapshots.shift() ?? (async () => routesOf({})))();
    sut = new RouteSync(bus, snapshot, table, HOUR_MS);
  });
  afterEach(() => {
    sut.onModuleDestroy();
    sut.onApplicationShutdown();
    jest.restoreAllMocks();
  });

  it('is not ready until the snapshot is in', async () => {
    let answer: (table: RouteTable) => void = () => undefined;
    snapshots.push(() => new Promise((resolve) => (answer = resolve)));
    sut.onApplicationBootstrap();
    expect(sut.readiness()).toMatchObject({ ready: false });
    answer(routesOf({ iris: { versions: { '1.0.0': [A] } } }));
    await sut.settled();
    expect(sut.readiness()).toEqual({ ready: true, details: { routes: 'loaded', endpoints: 1 } });
  });

  it('retries a failing snapshot with backoff until it succeeds', async () => {
    snapshots.push(async () => {
      throw new Error('builder down');
    });
    snapshots.push(async () => routesOf({ iris: { versions: { '1.0.0': [A] } } }));
    const started = Date.now();
    sut.onApplicationBootstrap();
    await sut.settled();
    expect(table.loaded).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(Logger.prototype.warn).toHaveBeenCalledWith(
      expect.objectContaining({ attempt: 0, error: 'builder down' }),
      'route snapshot failed',
    );
  });

  it('reloads the route table on a lifecycle event, never taking a URL from it', async () => {
    sut.onApplicationBootstrap();
    await sut.settled();
    snapshots.push(async () => routesOf({ iris: { versions: { '1.0.0': [A] } } }));
    // The event names B; the builder's table names A: only A may ever be routed to.
    await bus.publish(
      MODEL_EVENTS_TOPIC,
      deploymentEvent('deployment.changed', 'iris', '1.0.0', [B]),
    );
    await sut.settled();
    expect(urlsOf('iris', '1.0.0')).toEqual([A]);
    expect(Object.fromEntries(sut.loads)).toEqual({ start: 1, event: 1 });
  });

  it('does not reload on events that cannot change a route', async () => {
    const calls = jest.fn(async () => routesOf({}));
    sut = new RouteSync(bus, calls, table, HOUR_MS);
    sut.onApplicationBootstrap();
    await sut.settled();
    await bus.publish(MODEL_EVENTS_TOPIC, {
      type: 'build.started',
      name: 'iris',
      version: '1.0.0',
      buildId: 'b1',
      at: '',
    });
    await sut.settled();
    expect(calls).toHaveBeenCalledTimes(1);
  });

  it('loads once more after events that arrive during a load, however many', async () => {
    let answer: (table: RouteTable) => void = () => undefined;
    const calls = jest
      .fn<Promise<RouteTable>, []>()
      .mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)))
      .mockResolvedValue(routesOf({ iris: { versions: { '2.0.0': [B] } } }));
    sut = new RouteSync(bus, calls, table, HOUR_MS);
    sut.onApplicationBootstrap();
    for (let i = 0; i < 5; i++) {
      await bus.publish(
        MODEL_EVENTS_TOPIC,
        deploymentEvent('deployment.ready', 'iris', '2.0.0', [B]),
      );
    }
    answer(routesOf({ iris: { versions: { '1.0.0': [A] } } }));
    await sut.settled();
    // The first answer may predate the events: the second load, after them, is what counts.
    expect(calls).toHaveBeenCalledTimes(2);
    expect(table.versions()).toEqual([{ name: 'iris', version: '2.0.0' }]);
  });

  it('fetches a fresh snapshot after an event gap', async () => {
    sut.onApplicationBootstrap();
    await sut.settled();
    snapshots.push(async () =>
      routesOf({ iris: { aliases: { stable: aliasOf(['1.0.0', 100]) } } }),
    );
    bus.onGap?.();
    await sut.settled();
    expect(table.model('iris')?.aliases.has('stable')).toBe(true);
  });

  it('mends a lost event with the next reconcile, without any event or gap', async () => {
    // The builder moved stable to 2.0.0; the alias.changed event never came.
    let builder = routesOf({
      iris: {
        versions: { '1.0.0': [A], '2.0.0': [B] },
        aliases: { stable: aliasOf(['1.0.0', 100]) },
      },
    });
    sut.onModuleDestroy();
    sut = new RouteSync(bus, async () => structuredClone(builder), table, 50);
    sut.onApplicationBootstrap();
    await sut.settled();
    builder = routesOf({
      iris: {
        versions: { '1.0.0': [A], '2.0.0': [B] },
        aliases: { stable: aliasOf(['2.0.0', 100]) },
      },
    });
    const stable = () => table.model('iris')?.aliases.get('stable')?.versions[0]?.version;
    expect(stable()).toBe('1.0.0');
    await until(() => stable() === '2.0.0', 5000);
  });

  it('stops retrying and listening once destroyed', async () => {
    const calls = jest.fn().mockRejectedValue(new Error('down'));
    sut = new RouteSync(bus, calls, table, HOUR_MS);
    sut.onApplicationBootstrap();
    await until(() => calls.mock.calls.length === 1);
    sut.onModuleDestroy();
    await sut.settled();
    await bus.publish(
      MODEL_EVENTS_TOPIC,
      deploymentEvent('deployment.ready', 'iris', '1.0.0', [A]),
    );
    expect(table.modelNames()).toEqual([]);
    expect(calls).toHaveBeenCalledTimes(1);
  });
});

describe('SNAPSHOT_RETRY', () => {
  const delay = (attempt: number, random: number) =>
    exponentialDelayMs(attempt, SNAPSHOT_RETRY, random);

  it('doubles from about 200 ms up to about 5 s', () => {
    expect([0, 1, 2, 10].map((attempt) => delay(attempt, 0.5))).toEqual([200, 400, 800, 5000]);
    expect(delay(0, 0)).toBe(160);
    expect(delay(0, 0.999)).toBe(240);
  });
});
