import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

import { TOKEN_AUDIENCE, type IntrospectionResponse } from '@ml-run/token-contract';

/** A stand-in token-validator speaking RFC 7662 over HTTP, for wrapper tests. */
export class FakeValidator {
  readonly tokens = new Map<string, Extract<IntrospectionResponse, { active: true }>>();
  calls = 0;
  private server: Server | undefined;

  /** `credential`: the introspection credential it accepts. */
  constructor(private readonly credential: string) {}

  /** Registers a token valid for `ttlSeconds` with the given scopes. */
  grant(token: string, scope: string, ttlSeconds = 3600, sub = 'ada'): void {
    const now = Math.floor(Date.now() / 1000);
    this.tokens.set(token, {
      active: true,
      sub,
      scope,
      aud: TOKEN_AUDIENCE,
      iat: now,
      exp: now + ttlSeconds,
      token_type: 'Bearer',
    });
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        this.calls++;
        if (request.headers.authorization !== `Bearer ${this.credential}`) {
          response.writeHead(401).end();
          return;
        }
        const token = new URLSearchParams(body).get('token') ?? '';
        const record = this.tokens.get(token);
        const answer = record && record.exp * 1000 > Date.now() ? record : { active: false };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
    this.server = undefined;
  }
}
