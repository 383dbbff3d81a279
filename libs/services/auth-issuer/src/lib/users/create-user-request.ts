import { UserAdminErrorCode, type CreateUserRequest } from '@ml-run/token-contract';

import { UserAdminError } from './user-admin.errors';

const FIELDS = ['username', 'password', 'groups'];
// Bounds on what is read before the directory's own rules (which answer 422): a name of
// 64 characters, a password of 1024 and a handful of groups pass with room to spare.
const MAX_USERNAME = 256;
const MAX_PASSWORD = 4096;
const MAX_GROUPS = 32;
const MAX_GROUP = 256;

/**
 * The `POST /v1/users` body, or 400 INVALID_USER_REQUEST saying which field to fix. The
 * sentences never quote the password.
 */
export function parseCreateUserRequest(body: unknown): CreateUserRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('send a JSON object {"username", "password", "groups"}');
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !FIELDS.includes(key));
  if (unknown.length > 0) {
    throw invalid(
      `unknown field(s) ${unknown.slice(0, 5).join(', ')}; send only ${FIELDS.join(', ')}`,
    );
  }
  const username = fields['username'];
  if (typeof username !== 'string' || username === '' || username.length > MAX_USERNAME) {
    throw invalid(`username must be a non-empty string of at most ${MAX_USERNAME} characters`);
  }
  const password = fields['password'];
  if (typeof password !== 'string' || password.length > MAX_PASSWORD) {
    throw invalid(`password must be a string of at most ${MAX_PASSWORD} characters`);
  }
  const groups = fields['groups'];
  if (
    !Array.isArray(groups) ||
    groups.length > MAX_GROUPS ||
    !groups.every((group) => typeof group === 'string' && group.length <= MAX_GROUP)
  ) {
    throw invalid(`groups must be an array of at most ${MAX_GROUPS} group names (GET /v1/groups)`);
  }
  return { username, password, groups: groups as string[] };
}

function invalid(message: string): UserAdminError {
  return new UserAdminError(400, UserAdminErrorCode.InvalidUserRequest, message);
}
