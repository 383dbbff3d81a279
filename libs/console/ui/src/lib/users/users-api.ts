import type {
  CreateUserRequest,
  CreateUserResponse,
  GroupListResponse,
  UserListResponse,
} from '@ml-run/token-contract';

import type { ConsoleApi } from '../api/console-api';

// The issuer, through the builder's allowlisting proxy (the console's one origin).
const ISSUER = '/console/api/issuer/v1';

// One path segment whatever the name holds: a URL would resolve "." and ".." away.
const segment = (name: string) =>
  name === '.' || name === '..' ? name.replaceAll('.', '%2E') : encodeURIComponent(name);
const userPath = (username: string) => `${ISSUER}/users/${segment(username)}`;

/** `POST /v1/users/{name}/revoke-tokens` answer: tokens issued before `notBefore` are dead. */
export type TokensRevoked = { sub: string; notBefore: string };

export const listUsers = (api: ConsoleApi, signal: AbortSignal) =>
  api.get<UserListResponse>(`${ISSUER}/users`, signal);

export const listGroups = (api: ConsoleApi, signal: AbortSignal) =>
  api.get<GroupListResponse>(`${ISSUER}/groups`, signal);

export const addUser = (api: ConsoleApi, user: CreateUserRequest) =>
  api.send<CreateUserResponse>('POST', `${ISSUER}/users`, user);

/** Removes the user; the issuer revokes their tokens too. */
export const removeUser = (api: ConsoleApi, username: string) =>
  api.send<void>('DELETE', userPath(username));

export const revokeTokens = (api: ConsoleApi, username: string) =>
  api.send<TokensRevoked>('POST', `${userPath(username)}/revoke-tokens`);
