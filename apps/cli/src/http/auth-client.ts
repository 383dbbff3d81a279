import type {
  CreateUserRequest,
  CreateUserResponse,
  RevocationRequest,
  TokenRequest,
  TokenResponse,
  UserListResponse,
} from '@ml-run/token-contract';

import { sendJson, type ServiceEndpoint } from './service-endpoint';

/** The auth-issuer: password grant, revocation, and user administration (admin). */
export class AuthClient {
  constructor(private readonly endpoint: ServiceEndpoint) {}

  token(username: string, password: string): Promise<TokenResponse> {
    const request: TokenRequest = { grant_type: 'password', username, password };
    return sendJson(this.endpoint, 'POST', '/v1/auth/token', request);
  }

  /** Revokes every token `username` holds now; needs an admin's token on the endpoint. */
  revokeUser(username: string): Promise<{ sub: string; notBefore: string }> {
    const path = `/v1/auth/users/${encodeURIComponent(username)}/revoke-tokens`;
    return sendJson(this.endpoint, 'POST', path, {});
  }

  listUsers(): Promise<UserListResponse> {
    return sendJson(this.endpoint, 'GET', '/v1/users');
  }

  addUser(request: CreateUserRequest): Promise<CreateUserResponse> {
    return sendJson(this.endpoint, 'POST', '/v1/users', request);
  }

  async removeUser(username: string): Promise<void> {
    await sendJson(this.endpoint, 'DELETE', `/v1/users/${encodeURIComponent(username)}`);
  }

  async revoke(token: string): Promise<void> {
    const request: RevocationRequest = { token, token_type_hint: 'access_token' };
    await sendJson(this.endpoint, 'POST', '/v1/auth/revoke', request);
  }
}
