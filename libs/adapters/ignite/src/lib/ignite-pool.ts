import type IgniteClient from 'apache-ignite-client';

import type { BackoffOptions } from '@ml-run/async';

import { IgniteCache } from './ignite-cache';
import { IgniteConnection, type ConnectionListener } from './ignite-connection';
import { IgniteUnavailableError } from './ignite.errors';
import { JobQueue } from './job-queue';
import { checkIgniteResponseFraming } from './response-framing';

export type IgnitePoolOptions = {
  /** `host:port` of one or more Ignite nodes (thin-client port, 10800 by default). */
  endpoints: readonly string[];
  /** The login of an Ignite with authentication on (the platform's); unset: none is sent. */
  credentials?: IgniteCredentials;
  /** Connections; each request goes to the least busy one. Default 2. */
  poolSize?: number;
  /**
   * Requests in flight per connection; more wait in a queue. Default 1000: backpressure, so
   * one burst cannot hold every connection (the client's framing bug that once made this
   * a hard limit is fixed by patches/apache-ignite-client+1.0.0.patch).
   */
  maxInFlightPerClient?: number;
  /** Requests waiting for a slot before new ones are refused. Default 50,000. */
  maxQueued?: number;
  /** One connect attempt (all endpoints). Default 5000. */
  connectTimeoutMs?: number;
  /** One request; past it the request fails and its connection is replaced. Default 5000. */
  operationTimeoutMs?: number;
  /** Delays between reconnect attempts. Default 100 ms doubling to 5 s. */
  reconnectBackoff?: BackoffOptions;
};

export type IgniteCredentials = { userName: string; password: string };

/** Cache handles of one connection; keys and values are strings. */
export type CacheOf = (name: string) => IgniteClient.CacheClient;
/** Creates a cache with the server's default configuration unless it exists. */
export type CreateCache = (name: string) => Promise<void>;

export type IgnitePoolStats = {
  /** Connections up now. */
  up: number;
  inFlight: number;
  queued: number;
  /** Most requests ever in flight on one connection. */
  peakInFlight: number;
  /** Times a connection that was up got lost (socket drop, no answer in time). */
  losses: number;
};

type Job = { start(connection: IgniteConnection): void; fail(error: Error): void };

const DEFAULT_RECONNECT_BACKOFF: BackoffOptions = {
  initialMs: 100,
  maxMs: 5_000,
  resetAfterMs: 30_000,
};

/**
 * A small pool of apache-ignite-client connections with a cap on requests in flight per
 * connection, background reconnect with backoff, and fail-fast while nothing is connected.
 *
 * Data model: keys and values are plain strings (values JSON), so any client (Node, Python,
 * Java) reads them without a binary-object schema.
 */
export class IgnitePool {
  private readonly connections: IgniteConnection[];
  private readonly queue = new JobQueue<Job>();
  private readonly maxInFlight: number;
  private readonly maxQueued: number;
  private peakInFlight = 0;
  private state: 'new' | 'connected' | 'closed' = 'new';

  constructor(private readonly options: IgnitePoolOptions) {
    if (options.endpoints.length === 0) throw new Error('IgnitePool needs at least one endpoint');
    const poolSize = options.poolSize ?? 2;
    this.maxInFlight = options.maxInFlightPerClient ?? 1000;
    if (poolSize < 1 || this.maxInFlight < 1) throw new Error('poolSize and cap must be >= 1');
    this.maxQueued = options.maxQueued ?? 50_000;
    const settings = {
      endpoints: [...options.endpoints],
      credentials: options.credentials,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      operationTimeoutMs: options.operationTimeoutMs ?? 5_000,
      reconnectBackoff: options.reconnectBackoff ?? DEFAULT_RECONNECT_BACKOFF,
    };
    const listener: ConnectionListener = {
      up: () => this.drain(),
      down: () => this.failWaitersIfAllDown(),
      released: () => this.drain(),
    };
    this.connections = Array.from(
      { length: poolSize },
      (_, id) => new IgniteConnection(id, settings, listener),
    );
  }

  get endpoints(): readonly string[] {
    return this.options.endpoints;
  }

  /** Connects every connection; rejects with IgniteUnavailableError naming the endpoints. */
  async connect(): Promise<void> {
    if (this.state !== 'new') throw new Error(`IgnitePool is already ${this.state}`);
    checkIgniteResponseFraming();
    const results = await Promise.allSettled(this.connections.map((c) => c.open()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      for (const connection of this.connections) connection.close();
      this.state = 'closed';
      throw failed.reason;
    }
    this.state = 'connected';
  }

  /** A cache as a map of strings; every call is one request. */
  cache(name: string): IgniteCache {
    return new IgniteCache(this, name);
  }

  /**
   * Creates a cache with the server's defaults (no expiry, the default data region) unless
   * it exists. Caches with settings (expiry, persistence) are the server's to create.
   */
  createCache(name: string): Promise<void> {
    return this.run((_cache, create) => create(name));
  }

  /**
   * Runs `task` on one connection, taking one in-flight slot: the task should send its
   * requests one after another. Fails fast with IgniteUnavailableError while no connection
   * is up; waits in a queue while every connection is at its cap.
   */
  run<T>(task: (cache: CacheOf, createCache: CreateCache) => Promise<T>): Promise<T> {
    const connection = this.freeConnection();
    if (connection) return this.start(connection, task);
    return new Promise<T>((resolve, reject) => {
      const refusal = this.refusal();
      if (refusal) return reject(refusal);
      this.queue.push({ start: (c) => this.start(c, task).then(resolve, reject), fail: reject });
    });
  }

  get stats(): IgnitePoolStats {
    const sum = (f: (c: IgniteConnection) => number) =>
      this.connections.reduce((total, c) => total + f(c), 0);
    return {
      up: sum((c) => (c.isUp ? 1 : 0)),
      inFlight: sum((c) => c.inFlight),
      queued: this.queue.size,
      peakInFlight: this.peakInFlight,
      losses: sum((c) => c.losses),
    };
  }

  /** Disconnects; requests in flight and waiting fail. */
  close(): void {
    this.state = 'closed';
    for (const connection of this.connections) connection.close();
    this.failWaiters(new IgniteUnavailableError('the Ignite pool is closed'));
  }

  // connection.run counts the request synchronously, before any other job can look.
  private start<T>(
    connection: IgniteConnection,
    task: (cache: CacheOf, createCache: CreateCache) => Promise<T>,
  ) {
    const running = connection.run(task);
    this.peakInFlight = Math.max(this.peakInFlight, connection.inFlight);
    return running;
  }

  private freeConnection(): IgniteConnection | undefined {
    let best: IgniteConnection | undefined;
    for (const connection of this.connections) {
      if (!connection.isUp || connection.inFlight >= this.maxInFlight) continue;
      if (!best || connection.inFlight < best.inFlight) best = connection;
    }
    return best;
  }

  private refusal(): IgniteUnavailableError | undefined {
    if (this.state === 'closed') return new IgniteUnavailableError('the Ignite pool is closed');
    if (this.state === 'new') return new IgniteUnavailableError('the Ignite pool is not connected');
    if (!this.connections.some((c) => c.isUp)) return this.noConnection();
    if (this.queue.size >= this.maxQueued) {
      return new IgniteUnavailableError(`${this.maxQueued} Ignite requests already waiting`);
    }
    return undefined;
  }

  private drain(): void {
    while (this.queue.size > 0) {
      const connection = this.freeConnection();
      if (!connection) return;
      this.queue.shift()?.start(connection);
    }
  }

  private failWaitersIfAllDown(): void {
    if (!this.connections.some((c) => c.isUp)) this.failWaiters(this.noConnection());
  }

  private failWaiters(error: Error): void {
    for (const job of this.queue.drain()) job.fail(error);
  }

  private noConnection(): IgniteUnavailableError {
    return new IgniteUnavailableError(
      `no connection to Ignite at ${this.options.endpoints.join(', ')}; reconnecting`,
    );
  }
}
