import { once } from 'node:events';
import {
  createServer,
  type RequestListener,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';

/**
 * The HTTP servers of MLRUN_HOST's addresses after the first: one Fastify instance serves
 * them all, each address through its own server with the same handler and timeouts (Nest
 * and Fastify listen on one address). Pods reach a host service on the node's address,
 * while local callers keep 127.0.0.1, and no wildcard address is ever bound.
 */
export class SecondaryListeners {
  private handler?: RequestListener;
  private readonly servers: Server[] = [];
  private readonly inFlight = new Set<ServerResponse>();

  constructor(private readonly options: ServerOptions) {}

  /** Fastify's serverFactory: the primary server; its handler serves the others too. */
  readonly serverFactory = (handler: RequestListener): Server => {
    this.handler = handler;
    return createServer(this.options, handler);
  };

  /** Listens on `host` at the primary server's port; a failure (say, no such address) throws. */
  async listen(port: number, host: string): Promise<void> {
    if (!this.handler) throw new Error('the primary server was not created yet');
    const server = createServer(this.options, this.handler);
    server.on('request', (_request, response: ServerResponse) => {
      this.inFlight.add(response);
      response.once('close', () => this.inFlight.delete(response));
    });
    server.listen(port, host);
    await once(server, 'listening'); // rejects on 'error' (EADDRNOTAVAIL, EADDRINUSE)
    this.servers.push(server);
  }

  // As the primary server closes (forceCloseConnections 'idle'): no new connections, idle
  // keep-alive ones dropped, requests in flight finish. Their answers close the connection,
  // or a client keeping it alive would hold close() for its keep-alive time.
  async close(): Promise<void> {
    for (const response of this.inFlight) {
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
    const closing = this.servers.splice(0).map((server) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      return closed;
    });
    await Promise.all(closing);
  }
}
