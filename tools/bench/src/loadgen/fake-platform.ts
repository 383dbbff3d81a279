// A stand-in for the platform in the generator's specs: an issuer (password grant) and a
// predict endpoint that answers after a delay, 200 for a token it holds, else 401.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakePlatformSettings = {
  predictDelayMs?: number;
  loginDelayMs?: number;
  /** Answer every prediction 200, token or not (an auth-off target). */
  authOff?: boolean;
};

export type FakePlatform = {
  url: string;
  predictUrl: string;
  /** Logins per username. */
  logins: Map<string, number>;
  /** Predict requests seen, with the token each carried ('' for none). */
  seen: string[];
  /** Forgets every token issued so far, as an expiry would. */
  expireAll(): void;
  close(): Promise<void>;
};

class FakeState {
  readonly valid = new Set<string>();
  readonly logins = new Map<string, number>();
  readonly seen: string[] = [];
  private issued = 0;

  constructor(private readonly settings: FakePlatformSettings) {}

  handle(request: IncomingMessage, response: ServerResponse, body: string): void {
    if (request.url === '/v1/auth/token') return this.login(response, body);
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    this.seen.push(token);
    const allowed = this.settings.authOff === true || this.valid.has(token);
    setTimeout(() => {
      response.writeHead(allowed ? 200 : 401);
      response.end(allowed ? body : 'invalid_token');
    }, this.settings.predictDelayMs ?? 0);
  }

  private login(response: ServerResponse, body: string): void {
    const { username } = JSON.parse(body) as { username: string };
    this.logins.set(username, (this.logins.get(username) ?? 0) + 1);
    const token = `mlr_fake${++this.issued}`;
    this.valid.add(token);
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ access_token: token, token_type: 'Bearer' }));
    }, this.settings.loginDelayMs ?? 0);
  }
}

export async function startFakePlatform(
  settings: FakePlatformSettings = {},
): Promise<FakePlatform> {
  const state = new FakeState(settings);
  const server = createServer((request, response) => {
    void readBody(request).then((body) => state.handle(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    predictUrl: `${url}/v1/predict`,
    logins: state.logins,
    seen: state.seen,
    expireAll: () => state.valid.clear(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
