import path from 'node:path';
import { z } from 'zod';

import {
  ConfigError,
  durationVar,
  enumVar,
  intVar,
  optionalSecretVar,
  portVar,
  serverConfigShape,
  stringVar,
  trustedProxiesVar,
  type ConfigIssue,
  type ConfigOf,
} from '@ml-run/config';
import { TOKEN_FORMATS } from '@ml-run/token-contract';
import {
  checkGroupScopes,
  DEFAULT_LDAP_SEARCH_FILTER,
  DEFAULT_LDAP_TIMEOUT_MS,
  expandHome,
  LDAP_URL_PATTERN,
  usernameAttributeOf,
  usersFilePath,
  type LdapUserDirectoryOptions,
} from '@ml-run/user-directory';

/** The auth-issuer's MLRUN_ variables (docs/architecture.md §3, §8). */
export const authIssuerConfigShape = {
  ...serverConfigShape,
  MLRUN_PORT: portVar(8091),
  /**
   * Lifetime of issued tokens: a duration (300ms, 1.5s, 15m, 1h; a bare number is seconds),
   * in milliseconds here; 100 ms to 30 days. Sub-second lifetimes are for experiments on the
   * token path; below 100 ms a token would often expire before its first use arrives.
   */
  MLRUN_TOKEN_TTL: durationVar({ min: 100, max: 2_592_000_000, default: 3_600_000 }),
  /**
   * `opaque` (default): random tokens, checked by introspection. `jwt`: ES256-signed JWTs
   * (same claims, same lifetime to the millisecond) that wrappers given
   * MLRUN_TOKEN_JWKS_URL verify themselves; see docs/security.md "Signed tokens".
   */
  MLRUN_TOKEN_FORMAT: enumVar(TOKEN_FORMATS, 'opaque'),
  /**
   * With MLRUN_TOKEN_FORMAT=jwt: the EC P-256 private key (PEM) that signs tokens; its kid
   * is its RFC 7638 thumbprint. Every issuer replica holds the same one.
   */
  MLRUN_TOKEN_SIGNING_KEY: optionalSecretVar(),
  /**
   * Public keys (PEM blocks, concatenated) published in the JWKS beside the signing key's,
   * never used to sign: the next key, published before it signs, and the previous one,
   * kept until its last token expires (key rotation without downtime).
   */
  MLRUN_TOKEN_PUBLISHED_KEYS: stringVar().optional(),
  /** Where ML-RUN keeps local state; `~` is the user's home directory. */
  MLRUN_DATA_DIR: stringVar({ default: '~/.ml-run' }),
  /** The local users file; default `<MLRUN_DATA_DIR>/users.json`. */
  MLRUN_USERS_FILE: stringVar().optional(),
  /**
   * Where `user.tokens-revoked` events the bus refused wait to be sent again (in order, also
   * after a restart); default `<MLRUN_DATA_DIR>/token-events-outbox`. One per issuer process.
   */
  MLRUN_TOKEN_EVENTS_OUTBOX_DIR: stringVar().optional(),
  /** When set, user `admin` is created with this password if it does not exist yet. */
  MLRUN_ADMIN_PASSWORD: optionalSecretVar(),
  /**
   * Failed logins for one username from one client address before that pair is locked for
   * MLRUN_LOGIN_LOCK_SECONDS; the same user from elsewhere can still log in.
   */
  MLRUN_LOGIN_MAX_FAILURES_PER_USER: intVar({ min: 1, max: 1000, default: 5 }),
  /**
   * Failed logins for one username from all addresses together; past it only addresses
   * with no recent failure may try that username.
   */
  MLRUN_LOGIN_USER_CEILING: intVar({ min: 1, max: 100_000, default: 50 }),
  /** Failed logins from one client address before it is locked. */
  MLRUN_LOGIN_MAX_FAILURES_PER_ADDRESS: intVar({ min: 1, max: 100_000, default: 20 }),
  /** How long a lock lasts, and the window in which failures are counted. */
  MLRUN_LOGIN_LOCK_SECONDS: intVar({ min: 1, max: 86_400, default: 900 }),
  /**
   * Comma-separated addresses or CIDR ranges of proxies in front of the issuer (the
   * builder, whose console forwards logins). From those, the login throttle counts the
   * client named in X-Forwarded-For, not the proxy. Unset: every caller is counted by its
   * TCP address. Only list proxies: a caller at a listed address can claim any client
   * address, and so escape the per-address lock.
   */
  MLRUN_TRUSTED_PROXIES: trustedProxiesVar(),
  /** When set, users log in against this LDAP directory instead of the users file. */
  MLRUN_LDAP_URL: stringVar({
    pattern: LDAP_URL_PATTERN,
    hint: 'must be ldap://host[:port] or ldaps://host[:port]',
  }).optional(),
  /** The service account that searches users and groups; required with MLRUN_LDAP_URL. */
  MLRUN_LDAP_BIND_DN: stringVar().optional(),
  /** Its password; required with MLRUN_LDAP_URL. */
  MLRUN_LDAP_BIND_PASSWORD: optionalSecretVar(),
  /** Where users are searched, e.g. ou=people,dc=example,dc=org; required with MLRUN_LDAP_URL. */
  MLRUN_LDAP_SEARCH_BASE: stringVar().optional(),
  /** Finds a user by the name they log in with. */
  MLRUN_LDAP_SEARCH_FILTER: stringVar({ default: DEFAULT_LDAP_SEARCH_FILTER }).refine(
    comparesUsername,
    'must compare an attribute with {{username}}, e.g. (uid={{username}})',
  ),
  /** Where groups (members by DN) are searched; required with MLRUN_LDAP_URL. */
  MLRUN_LDAP_GROUP_SEARCH_BASE: stringVar().optional(),
  /** JSON: group cn → scopes; default mlrun-admins, mlrun-publishers, mlrun-predictors. */
  MLRUN_LDAP_GROUP_SCOPES: stringVar().transform(parseGroupScopes).optional(),
  /** Bound on each LDAP request and on a whole login, in milliseconds. */
  MLRUN_LDAP_TIMEOUT_MS: intVar({ min: 100, max: 60_000, default: DEFAULT_LDAP_TIMEOUT_MS }),
};

export type AuthIssuerConfig = ConfigOf<typeof authIssuerConfigShape>;

/** The users file the config names, `~` expanded. */
export function usersFileOf(config: AuthIssuerConfig): string {
  return usersFilePath(config.MLRUN_DATA_DIR, config.MLRUN_USERS_FILE);
}

/** The outbox of user-wide revocation events the config names, `~` expanded. */
export function tokenEventsOutboxOf(config: AuthIssuerConfig): string {
  const dir = config.MLRUN_TOKEN_EVENTS_OUTBOX_DIR;
  return dir
    ? expandHome(dir)
    : path.join(expandHome(config.MLRUN_DATA_DIR), 'token-events-outbox');
}

// Production directories differ from the test one, so the bases and the service account
// have no defaults: a missing one is a ConfigError at start, not failed logins later.
const LDAP_REQUIRED = [
  'MLRUN_LDAP_BIND_DN',
  'MLRUN_LDAP_BIND_PASSWORD',
  'MLRUN_LDAP_SEARCH_BASE',
  'MLRUN_LDAP_GROUP_SEARCH_BASE',
] as const;

/**
 * The LDAP directory the config names, or undefined when MLRUN_LDAP_URL is unset (the users
 * file is used). Throws ConfigError naming each missing companion variable, or the URL when
 * only its companions are set.
 */
export function ldapOptionsOf(config: AuthIssuerConfig): LdapUserDirectoryOptions | undefined {
  const url = config.MLRUN_LDAP_URL;
  if (url === undefined) {
    const stray = [...LDAP_REQUIRED, 'MLRUN_LDAP_GROUP_SCOPES' as const].filter(
      (name) => config[name] !== undefined,
    );
    if (stray.length === 0) return undefined;
    throw new ConfigError([
      {
        variable: 'MLRUN_LDAP_URL',
        message: `is required when ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set`,
      },
    ]);
  }
  const missing: ConfigIssue[] = LDAP_REQUIRED.filter((name) => config[name] === undefined).map(
    (variable) => ({ variable, message: 'is required when MLRUN_LDAP_URL is set' }),
  );
  if (missing.length > 0) throw new ConfigError(missing);
  return {
    url,
    bindDN: config.MLRUN_LDAP_BIND_DN ?? '',
    bindCredentials: config.MLRUN_LDAP_BIND_PASSWORD ?? '',
    searchBase: config.MLRUN_LDAP_SEARCH_BASE ?? '',
    searchFilter: config.MLRUN_LDAP_SEARCH_FILTER,
    groupSearchBase: config.MLRUN_LDAP_GROUP_SEARCH_BASE ?? '',
    ...(config.MLRUN_LDAP_GROUP_SCOPES && { groupScopes: config.MLRUN_LDAP_GROUP_SCOPES }),
    timeoutMs: config.MLRUN_LDAP_TIMEOUT_MS,
  };
}

function comparesUsername(filter: string): boolean {
  try {
    usernameAttributeOf(filter);
    return true;
  } catch {
    return false;
  }
}

function parseGroupScopes(text: string, ctx: z.RefinementCtx): Record<string, string[]> {
  const example = 'e.g. {"mlrun-admins":["admin"],"ml-users":["predict:iris"]}';
  try {
    return checkGroupScopes(JSON.parse(text));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'it is not JSON' : (error as Error).message;
    ctx.addIssue({
      code: 'custom',
      message: `must be a JSON object of LDAP group cn to scopes, ${example}; ${reason}`,
    });
    return z.NEVER;
  }
}
