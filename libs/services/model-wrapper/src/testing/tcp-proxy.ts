import net, { type Server, type Socket } from 'node:net';

import { REAL_COMPONENTS } from '@ml-run/process-testing';

/** The models' Ignite node the integration tests use (tools/services/model-ignite). */
export const TEST_IGNITE_ENDPOINT = REAL_COMPONENTS.modelIgniteEndpoints;

/**
 * A TCP proxy in front of a real server, to see a client's connections and to cut them
 * (an outage) without touching the server, which other tests share.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly clients = new Set<Socket>();
  private listenPort = 0;

  constructor(private readonly target: string) {}

  /** `127.0.0.1:<port>`; the same port after cut() and start() again. */
  get endpoint(): string {
    return `127.0.0.1:${this.listenPort}`;
  }

  /** Client connections open now. */
  get connections(): number {
    return this.clients.size;
  }

  async start(): Promise<void> {
    const [host, port] = this.target.split(':');
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(port), host);
      this.clients.add(client);
      const close = (): void => {
        this.clients.delete(client);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    this.listenPort = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Refuses new connections and drops the open ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const client of this.clients) client.destroy();
    this.clients.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
