import { isValidScope, normalizeScope } from '@ml-run/token-contract';

import { UserDirectoryError, UserDirectoryErrorCode } from '../user-directory.errors';
import { DEFAULT_GROUPS } from '../users-file';

export type LdapUserDirectoryOptions = {
  /** `ldap://host[:port]` or `ldaps://host[:port]`. */
  url: string;
  /** The service account that searches for users and groups. */
  bindDN: string;
  bindCredentials: string;
  /** Where users are searched, e.g. `ou=people,dc=example,dc=org`. */
  searchBase: string;
  /** Must compare one attribute with `{{username}}`; default `(uid={{username}})`. */
  searchFilter?: string;
  /** Where groups are searched, e.g. `ou=groups,dc=example,dc=org`. */
  groupSearchBase: string;
  /** `{{dn}}` is the user's DN; default `(member={{dn}})`. */
  groupSearchFilter?: string;
  /** LDAP group cn → ML-RUN scopes; default DEFAULT_LDAP_GROUP_SCOPES. Other groups grant nothing. */
  groupScopes?: Readonly<Record<string, readonly string[]>>;
  /** Bound on each LDAP operation and on a whole login; default 5000. */
  timeoutMs?: number;
  /** Bound on opening a connection; default timeoutMs. */
  connectTimeoutMs?: number;
};

export type LdapGroupRule = { name: string; scopes: readonly string[] };

/** The options with defaults applied, checked. */
export type ResolvedLdapOptions = Required<Omit<LdapUserDirectoryOptions, 'groupScopes'>> & {
  /** The attribute the search filter compares with the username (the canonical name). */
  usernameAttribute: string;
  /** Keyed by lower-case cn: LDAP compares cn without regard to case. */
  groups: ReadonlyMap<string, LdapGroupRule>;
};

/** The LDAP groups that grant what the users file's default groups grant. */
export const DEFAULT_LDAP_GROUP_SCOPES: Readonly<Record<string, readonly string[]>> = Object.freeze(
  {
    'mlrun-admins': DEFAULT_GROUPS['admins'] ?? [],
    'mlrun-publishers': DEFAULT_GROUPS['publishers'] ?? [],
    'mlrun-predictors': DEFAULT_GROUPS['predictors'] ?? [],
  },
);

export const DEFAULT_LDAP_SEARCH_FILTER = '(uid={{username}})';
export const DEFAULT_LDAP_GROUP_SEARCH_FILTER = '(member={{dn}})';
export const DEFAULT_LDAP_TIMEOUT_MS = 5000;
/** `ldap://host[:port]` or `ldaps://host[:port]`, nothing after the host but a `/`. */
export const LDAP_URL_PATTERN = /^ldaps?:\/\/[^\s/?#]+\/?$/i;

const USERNAME_COMPARISON = /\(([A-Za-z][A-Za-z0-9-]*)=\{\{username\}\}\)/;
const MAX_TIMEOUT_MS = 120_000;

export function resolveLdapOptions(options: LdapUserDirectoryOptions): ResolvedLdapOptions {
  const searchFilter = options.searchFilter ?? DEFAULT_LDAP_SEARCH_FILTER;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LDAP_TIMEOUT_MS;
  const resolved: ResolvedLdapOptions = {
    url: checkUrl(options.url),
    bindDN: required('bindDN', options.bindDN),
    // An empty password would make the service bind unauthenticated (RFC 4513 §5.1.2).
    bindCredentials: required('bindCredentials', options.bindCredentials),
    searchBase: required('searchBase', options.searchBase),
    searchFilter,
    groupSearchBase: required('groupSearchBase', options.groupSearchBase),
    groupSearchFilter: options.groupSearchFilter ?? DEFAULT_LDAP_GROUP_SEARCH_FILTER,
    timeoutMs: checkTimeout('timeoutMs', timeoutMs),
    connectTimeoutMs: checkTimeout('connectTimeoutMs', options.connectTimeoutMs ?? timeoutMs),
    usernameAttribute: usernameAttributeOf(searchFilter),
    groups: groupRules(checkGroupScopes(options.groupScopes ?? DEFAULT_LDAP_GROUP_SCOPES)),
  };
  if (!resolved.groupSearchFilter.includes('{{dn}}')) {
    throw invalid('groupSearchFilter must contain {{dn}}, e.g. (member={{dn}})');
  }
  return resolved;
}

/** The attribute a filter like `(&(objectClass=person)(uid={{username}}))` matches the username on. */
export function usernameAttributeOf(searchFilter: string): string {
  const match = USERNAME_COMPARISON.exec(searchFilter);
  if (!match?.[1]) {
    throw invalid(
      `searchFilter must compare an attribute with {{username}}, e.g. ${DEFAULT_LDAP_SEARCH_FILTER}`,
    );
  }
  return match[1];
}

/**
 * A group cn → scopes mapping, checked: an object of non-empty cns (unique regardless of
 * case) to arrays of scopes. Throws LDAP_OPTIONS_INVALID naming the offending entry.
 */
export function checkGroupScopes(value: unknown): Record<string, string[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('groupScopes must be an object of group cn to scopes');
  }
  const checked: Record<string, string[]> = {};
  const seen = new Set<string>();
  for (const [cn, scopes] of Object.entries(value)) {
    if (cn.trim() === '') throw invalid('groupScopes has an empty group cn');
    if (seen.has(cn.toLowerCase())) {
      throw invalid(`groupScopes names group ${cn} twice (cn is compared without case)`);
    }
    seen.add(cn.toLowerCase());
    checked[cn] = checkScopes(cn, scopes);
  }
  return checked;
}

function checkScopes(cn: string, scopes: unknown): string[] {
  if (!Array.isArray(scopes)) throw invalid(`groupScopes.${cn} must be an array of scopes`);
  scopes.forEach((scope: unknown, index) => {
    if (typeof scope !== 'string' || !isValidScope(scope)) {
      throw invalid(
        `groupScopes.${cn}.${index} is not a scope (admin, predict:<model>, models:read:<model>, models:write:<model>, or * for <model>)`,
      );
    }
  });
  // The deprecated global models:write is read as models:write:*, as in the users file.
  return [...new Set((scopes as string[]).map(normalizeScope))];
}

function groupRules(scopes: Record<string, string[]>): Map<string, LdapGroupRule> {
  return new Map(
    Object.entries(scopes).map(([name, granted]) => [
      name.toLowerCase(),
      { name, scopes: granted },
    ]),
  );
}

function checkUrl(url: string): string {
  if (LDAP_URL_PATTERN.test(url)) return url;
  throw invalid('url must be ldap://host[:port] or ldaps://host[:port]');
}

function required(name: string, value: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw invalid(`${name} must not be empty`);
}

function checkTimeout(name: string, value: number): number {
  if (Number.isInteger(value) && value >= 1 && value <= MAX_TIMEOUT_MS) return value;
  throw invalid(`${name} must be an integer between 1 and ${MAX_TIMEOUT_MS}`);
}

function invalid(message: string): UserDirectoryError {
  return new UserDirectoryError(UserDirectoryErrorCode.LdapOptionsInvalid, message);
}
