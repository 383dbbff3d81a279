// The Ignite thin client a node model gets as ctx.ignite, in the node worker process:
// connected before init and disconnected when the worker ends. After a dropped connection apache-ignite-client tries each endpoint
// once and then stays disconnected; we retry with backoff, on the same client object the
// model holds, so a brief Ignite restart does not break the replica for good.
import IgniteClient from 'apache-ignite-client';

import { DEFAULT_BACKOFF, RestartBackoff, withDeadline, type BackoffOptions } from '@ml-run/async';
import { checkIgniteResponseFraming } from '@ml-run/ignite/framing';
import type { ModelIgniteClient } from '@ml-run/model-contract';

import { workerLog, type WorkerLog } from './worker-log';

export type IgniteConnection = {
  readonly client: ModelIgniteClient;
  /** Disconnects and stops reconnecting; safe to call twice. */
  close(): void;
};

/** Connects a client to the endpoints within timeoutMs, or rejects with the client's reason. */
export type IgniteConnector = (
  endpoints: readonly string[],
  timeoutMs: number,
) => Promise<IgniteConnection>;

type StateListener = (state: number, reason?: string | null) => void;

export type ModelIgniteOptions = {
  /** Default: lines on the worker's stderr. */
  logger?: WorkerLog;
  backoff?: Partial<BackoffOptions>;
  /** Default: a real apache-ignite-client IgniteClient. */
  createClient?: (onStateChanged: StateListener) => IgniteClient;
};

const { DISCONNECTED } = IgniteClient.STATE;

export const connectModelIgnite: IgniteConnector = async (endpoints, timeoutMs) => {
  // Models may keep thousands of requests in flight; the stock reader drops the connection
  // when a response's length prefix is split across TCP chunks (the bundle must carry the patch).
  checkIgniteResponseFraming();
  const connection = new ModelIgniteConnection(endpoints);
  await connection.open(timeoutMs);
  return connection;
};

export class ModelIgniteConnection implements IgniteConnection {
  private readonly logger: WorkerLog;
  private readonly igniteClient: IgniteClient;
  private readonly backoff: RestartBackoff;
  private opened = false;
  private closed = false;
  private reconnecting = false;
  private connectedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly endpoints: readonly string[],
    options: ModelIgniteOptions = {},
  ) {
    this.logger = options.logger ?? workerLog();
    this.backoff = new RestartBackoff({ ...DEFAULT_BACKOFF, ...options.backoff });
    const createClient = options.createClient ?? ((listener) => new IgniteClient(listener));
    this.igniteClient = createClient((state, reason) => this.onStateChanged(state, reason));
  }

  get client(): ModelIgniteClient {
    // The shared shim declares only the calls ML-RUN's services make; this is the full client.
    return this.igniteClient as unknown as ModelIgniteClient;
  }

  /** Connects once; on failure or timeout the client is closed and the reason thrown. */
  async open(timeoutMs: number): Promise<void> {
    try {
      await withDeadline(
        this.connect(),
        timeoutMs,
        () => new Error(`no connection within ${timeoutMs / 1000} s`),
      );
    } catch (error) {
      this.close();
      throw error;
    }
    this.opened = true;
    this.logger.log({ endpoints: this.endpoints }, 'model ignite connected');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.igniteClient.disconnect();
  }

  private async connect(): Promise<void> {
    const config = new IgniteClient.IgniteClientConfiguration(...this.endpoints);
    await this.igniteClient.connect(config);
    this.connectedAt = Date.now();
    // Closed while connecting (stop during init or a reconnect): leave nothing open.
    if (this.closed) this.igniteClient.disconnect();
  }

  private onStateChanged(state: number, reason?: string | null): void {
    if (state !== DISCONNECTED || !this.opened || this.closed || this.reconnecting) return;
    this.logger.warn({ endpoints: this.endpoints, reason }, 'model ignite connection lost');
    this.scheduleReconnect(Date.now() - this.connectedAt);
  }

  // healthyForMs: how long the lost connection had been up; 0 after a failed reconnect, so
  // the delay keeps doubling while Ignite stays away.
  private scheduleReconnect(healthyForMs: number): void {
    const delayMs = this.backoff.next(healthyForMs);
    this.timer = setTimeout(() => void this.reconnect(), delayMs);
    this.timer.unref();
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    this.reconnecting = true;
    try {
      await this.connect();
      if (!this.closed) this.logger.log({ endpoints: this.endpoints }, 'model ignite reconnected');
    } catch {
      if (!this.closed) this.scheduleReconnect(0);
    } finally {
      this.reconnecting = false;
    }
  }
}
