import { invalidRequest } from '../auth-issuer.errors';

// Usernames of the users file and of LDAP uids alike; anything else names no one.
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/** A username from a path, or 400 (quoting at most 64 characters of what came). */
export function usernameParam(name: string): string {
  if (USERNAME.test(name)) return name;
  throw invalidRequest(`"${name.slice(0, 64)}" is not a username`);
}
