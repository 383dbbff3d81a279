import type { Agent } from 'node:http';

import { post } from './http-post';
import type { ClientCredentials } from './types';

/** POST /v1/auth/token, password grant; resolves with the access token. */
export async function passwordLogin(
  agent: Agent,
  issuerUrl: string,
  client: ClientCredentials,
): Promise<string> {
  const answer = await post(
    agent,
    `${issuerUrl}/v1/auth/token`,
    JSON.stringify({ grant_type: 'password', ...client }),
    { 'content-type': 'application/json' },
  );
  if (answer.status !== 200)
    throw new Error(`login ${client.username}: ${answer.status} ${answer.text}`);
  return (JSON.parse(answer.text) as { access_token: string }).access_token;
}

/**
 * One client's token. It logs in again only when a request with its current token is
 * refused (no early renewal: the model assumes a token is used until refused), once for
 * all the refusals of that token; requests arriving meanwhile wait for the new one.
 */
export class ClientSession {
  private token = '';
  /** Bumped by each login: a 401 for an older generation needs no new login. */
  private generation = 0;
  private pending: Promise<void> | null = null;

  constructor(private readonly login: () => Promise<string>) {}

  /** The initial login (not counted as a re-login). */
  async start(): Promise<void> {
    this.token = await this.login();
    this.generation++;
  }

  /** The token to send now, after any login in flight. */
  async current(): Promise<{ token: string; generation: number }> {
    while (this.pending) await this.pending;
    return { token: this.token, generation: this.generation };
  }

  /**
   * A request sent with `generation`'s token was refused. Logs in when nobody has since
   * (`onLogin` tells the caller a login started), else waits for the one in flight.
   */
  async refused(generation: number, onLogin: () => void): Promise<void> {
    if (this.pending) return this.pending;
    if (generation !== this.generation) return;
    onLogin();
    this.pending = this.login().then(
      (token) => {
        this.token = token;
        this.generation++;
        this.pending = null;
      },
      (error: unknown) => {
        this.pending = null;
        throw error;
      },
    );
    return this.pending;
  }
}
