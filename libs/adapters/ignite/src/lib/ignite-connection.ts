import { Logger } from '@nestjs/common';
import IgniteClient from 'apache-ignite-client';

import { RestartBackoff, withDeadline, type BackoffOptions } from '@ml-run/async';

import type { IgniteCredentials } from './ignite-pool';
import { IgniteUnavailableError, toIgniteError } from './ignite.errors';

const { STATE } = IgniteClient;

export type ConnectionSettings = {
  endpoints: readonly string[];
  credentials?: IgniteCredentials | undefined;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
  reconnectBackoff: BackoffOptions;
};

export type ConnectionListener = {
  /** The connection can take requests (again). */
  up(connection: IgniteConnection): void;
  /** The connection stopped taking requests; the ones in flight fail. */
  down(connection: IgniteConnection): void;
  /** A request finished (its slot is free). */
  released(connection: IgniteConnection): void;
};

type State = 'idle' | 'opening' | 'up' | 'down' | 'closed';

/**
 * One thin-client connection and its health. When the socket drops, or a request gets no
 * answer in time, the client is dropped (everything in flight on it fails) and a new one
 * is connected in the background, with backoff. The client's own one-shot failover is not
 * used: it has no timeout, and a fresh client is a known state.
 */
export class IgniteConnection {
  private readonly logger = new Logger('IgniteConnection');
  private readonly backoff: RestartBackoff;
  private readonly caches = new Map<string, IgniteClient.CacheClient>();
  private client: IgniteClient | undefined;
  private state: State = 'idle';
  private upSince = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  // Which client requests belong to: a dropped client fails all of its own.
  private generation = 0;
  /** Requests on the wire of the current client. */
  inFlight = 0;
  /** Times this connection was lost after having been up. */
  losses = 0;

  constructor(
    readonly id: number,
    private readonly settings: ConnectionSettings,
    private readonly listener: ConnectionListener,
  ) {
    this.backoff = new RestartBackoff(settings.reconnectBackoff);
  }

  get isUp(): boolean {
    return this.state === 'up';
  }

  /** One attempt to connect within the connect timeout; rejects with IgniteUnavailableError. */
  async open(): Promise<void> {
    if (this.state === 'closed') throw new IgniteUnavailableError('the Ignite pool is closed');
    const client = new IgniteClient((state, reason) => this.onClientState(client, state, reason));
    this.replaceClient(client);
    this.state = 'opening';
    const config = new IgniteClient.IgniteClientConfiguration(...this.settings.endpoints);
    const credentials = this.settings.credentials;
    if (credentials) config.setUserName(credentials.userName).setPassword(credentials.password);
    const ms = this.settings.connectTimeoutMs;
    try {
      await withDeadline(
        client.connect(config),
        ms,
        () => new IgniteUnavailableError(`no connection within ${ms} ms`),
      );
    } catch (error) {
      if (this.client === client) this.replaceClient(undefined);
      if (this.state === 'opening') this.state = 'down';
      throw this.unreachable(error);
    }
    if (this.state !== 'opening' || this.client !== client) return; // closed meanwhile
    this.state = 'up';
    this.upSince = Date.now();
    this.listener.up(this);
  }

  /**
   * Runs one request on this connection. A request without an answer within the operation
   * timeout fails, and so does the connection: the protocol cannot cancel a request, and a
   * connection that stops answering is as good as lost.
   */
  async run<T>(
    task: (
      cache: (name: string) => IgniteClient.CacheClient,
      createCache: (name: string) => Promise<void>,
    ) => Promise<T>,
  ) {
    const client = this.client;
    if (!client || this.state !== 'up') throw new IgniteUnavailableError('not connected');
    const generation = this.generation;
    this.inFlight++;
    const create = async (name: string) => void (await client.getOrCreateCache(name));
    const work = (async () => task((name) => this.cacheClient(client, name), create))().finally(
      () => {
        if (generation !== this.generation) return;
        this.inFlight--;
        this.listener.released(this);
      },
    );
    work.catch(() => undefined); // the race below may have settled first
    const ms = this.settings.operationTimeoutMs;
    const message = `Ignite gave no answer within ${ms} ms`;
    try {
      return await withDeadline(work, ms, () => {
        this.drop(message);
        return new IgniteUnavailableError(message);
      });
    } catch (error) {
      throw toIgniteError(error, this.settings.endpoints);
    }
  }

  /** Disconnects for good: no reconnect; requests in flight fail. */
  close(): void {
    this.state = 'closed';
    clearTimeout(this.reconnectTimer);
    this.replaceClient(undefined);
  }

  // Keys and values are strings (see IgnitePool): typed once per client and cache.
  private cacheClient(client: IgniteClient, name: string): IgniteClient.CacheClient {
    let cache = client === this.client ? this.caches.get(name) : undefined;
    if (!cache) {
      const { STRING } = IgniteClient.ObjectType.PRIMITIVE_TYPE;
      cache = client.getCache(name).setKeyType(STRING).setValueType(STRING);
      if (client === this.client) this.caches.set(name, cache);
    }
    return cache;
  }

  private onClientState(client: IgniteClient, state: number, reason: unknown): void {
    if (client !== this.client) {
      // A dropped client whose own failover got through: close it.
      if (state === STATE.CONNECTED) client.disconnect();
      return;
    }
    // Leaving CONNECTED while up means the socket dropped (the client now fails over).
    if (this.state === 'up' && state !== STATE.CONNECTED) this.drop(reasonText(reason));
  }

  /** Gives up on the current client and connects a new one after a backoff delay. */
  private drop(reason: string): void {
    if (this.state !== 'up') return;
    this.logger.warn({ connection: this.id, reason }, 'ignite connection lost');
    this.losses++;
    this.state = 'down';
    this.replaceClient(undefined);
    this.listener.down(this);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.state === 'closed') return;
    const healthyForMs = this.upSince ? Date.now() - this.upSince : 0;
    this.upSince = 0;
    const delayMs = this.backoff.next(healthyForMs);
    this.reconnectTimer = setTimeout(() => void this.reconnect(), delayMs).unref();
  }

  private async reconnect(): Promise<void> {
    try {
      await this.open();
      if (this.state === 'up')
        this.logger.log({ connection: this.id }, 'ignite connection restored');
    } catch (error) {
      if (this.state === 'closed') return;
      this.logger.debug({ connection: this.id, err: error }, 'ignite reconnect failed');
      this.scheduleReconnect();
    }
  }

  private replaceClient(client: IgniteClient | undefined): void {
    const previous = this.client;
    this.client = client;
    this.caches.clear();
    this.generation++;
    this.inFlight = 0;
    previous?.disconnect(); // fails whatever was in flight on it
  }

  private unreachable(error: unknown): IgniteUnavailableError {
    const reason = error instanceof Error ? error.message : String(error);
    const endpoints = this.settings.endpoints.join(', ');
    return new IgniteUnavailableError(`cannot connect to Ignite at ${endpoints}: ${reason}`, {
      cause: error,
    });
  }
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' && reason ? reason : 'socket closed';
}
