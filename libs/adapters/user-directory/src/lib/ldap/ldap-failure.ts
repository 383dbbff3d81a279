import { UserDirectoryError, UserDirectoryErrorCode } from '../user-directory.errors';

/** Where the failing directory is; names only, never a password. */
export type LdapTarget = { url: string; bindDN: string; timeoutMs: number };

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
]);

const RETRY = 'logins fail with 503 until then';

/** Why a login could not be checked, as a DIRECTORY_UNAVAILABLE error that says what to fix. */
export function directoryUnavailable(cause: unknown, target: LdapTarget): UserDirectoryError {
  const { name, code, message } = describe(cause);
  const reason = code ?? (name === 'ConnectionError' ? message : name);
  if (name === 'TimeoutError') {
    return unavailable(
      `LDAP at ${target.url} did not answer within ${target.timeoutMs} ms (${reason}); ${RETRY}`,
    );
  }
  if (name === 'ConnectionError' || (code !== undefined && NETWORK_CODES.has(code))) {
    return unavailable(
      `cannot reach LDAP at ${target.url} (${reason}); check that it runs and is reachable; ${RETRY}`,
    );
  }
  if (code !== undefined && /CERT|TLS|SSL/.test(code)) {
    return unavailable(
      `TLS with LDAP at ${target.url} failed (${code}); check its certificate and the trusted CAs (NODE_EXTRA_CA_CERTS)`,
    );
  }
  if (/unexpected number of matches/.test(message)) {
    return unavailable(
      `the LDAP user search filter matched more than one entry for a username; make it match one`,
    );
  }
  return unavailable(`LDAP at ${target.url} failed (${reason}); ${RETRY}`);
}

/** The service account could not bind: nothing can be looked up. */
export function serviceBindRefused(target: LdapTarget): UserDirectoryError {
  return unavailable(
    `LDAP at ${target.url} refused the service bind as ${target.bindDN}; check the bind DN and password`,
  );
}

export function searchBaseMissing(target: LdapTarget): UserDirectoryError {
  return unavailable(
    `LDAP at ${target.url} has no entry at the user or group search base; check both search bases`,
  );
}

export function directoryClosed(): UserDirectoryError {
  return unavailable('the LDAP user directory was closed (the service is shutting down)');
}

function unavailable(message: string): UserDirectoryError {
  return new UserDirectoryError(UserDirectoryErrorCode.DirectoryUnavailable, message);
}

// ldapauth-fork passes on ldapjs errors, node socket errors and some plain strings. Read
// by shape, not instanceof: socket errors may come from another realm (jest, vm).
function describe(cause: unknown): { name: string; code: string | undefined; message: string } {
  if (typeof cause === 'string') return { name: 'Error', code: undefined, message: cause };
  const { name, code, message } = (typeof cause === 'object' && cause !== null ? cause : {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
  };
  return {
    name: typeof name === 'string' ? name : 'unknown error',
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message : '',
  };
}
