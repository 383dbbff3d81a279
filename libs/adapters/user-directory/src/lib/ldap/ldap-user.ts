import type { DirectoryUser } from '../user-directory.port';
import type { ResolvedLdapOptions } from './ldap-options';

/** Same bound as the token endpoint's username parameter. */
export const MAX_LDAP_USERNAME_LENGTH = 256;

// Control, format, private-use, surrogate and unassigned code points, and any whitespace
// but a plain space. LDAP's string preparation (RFC 4518) drops or folds several of these,
// so they would make different strings name the same entry.
const IMPLAUSIBLE_CHARACTER = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}]|[^\S ]/u;
// ldapauth-fork escapes {{username}} (RFC 4515: * ( ) \ NUL), but escapes * ( ) twice
// (`*` becomes `\5c2a`), so a name holding them can never match an entry anyway. Refusing
// them here also keeps filter syntax from reaching LDAP at all.
const FILTER_CHARACTER = /[*()\\]/;

/**
 * Whether a username may be looked up at all: 1-256 characters, already in NFKC form, no
 * control or invisible characters, no filter syntax, no leading, trailing or double spaces.
 */
export function isPlausibleLdapUsername(username: string): boolean {
  return (
    username.length > 0 &&
    username.length <= MAX_LDAP_USERNAME_LENGTH &&
    username === username.normalize('NFKC') &&
    !IMPLAUSIBLE_CHARACTER.test(username) &&
    !FILTER_CHARACTER.test(username) &&
    username === username.trim() &&
    !username.includes('  ')
  );
}

/**
 * The user behind an authenticated LDAP entry. `username` is the entry's own spelling of
 * the name (LDAP matched `Alice` to `alice`), so tokens carry one name per person.
 * `groups` are the entry's groups that options.groups maps, in directory order; `scopes`
 * the union of theirs, in first-seen order.
 */
export function toDirectoryUser(
  entry: unknown,
  requested: string,
  options: ResolvedLdapOptions,
): DirectoryUser {
  const groups = [
    ...new Set(
      groupEntries(entry).flatMap((group) =>
        valuesOf(group, 'cn').flatMap((cn) => options.groups.get(cn.toLowerCase())?.name ?? []),
      ),
    ),
  ];
  const scopes = [
    ...new Set(groups.flatMap((name) => options.groups.get(name.toLowerCase())?.scopes ?? [])),
  ];
  return { username: canonicalName(entry, requested, options.usernameAttribute), groups, scopes };
}

function canonicalName(entry: unknown, requested: string, attribute: string): string {
  const names = valuesOf(entry, attribute);
  return (
    names.find((name) => name === requested) ??
    names.find((name) => name.toLowerCase() === requested.toLowerCase()) ??
    names[0] ??
    requested
  );
}

// ldapauth-fork puts the group search results under `_groups`.
function groupEntries(entry: unknown): unknown[] {
  const groups = isRecord(entry) ? entry['_groups'] : undefined;
  return Array.isArray(groups) ? groups : [];
}

/** An attribute's string values; attribute names compare without case, as in LDAP. */
function valuesOf(entry: unknown, attribute: string): string[] {
  if (!isRecord(entry)) return [];
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  const values: unknown[] = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
