import type { DirectoryUser, UserDirectory } from '../user-directory.port';
import { authenticateOnce } from './ldap-attempt';
import { directoryClosed } from './ldap-failure';
import {
  resolveLdapOptions,
  type LdapUserDirectoryOptions,
  type ResolvedLdapOptions,
} from './ldap-options';
import { isPlausibleLdapUsername, toDirectoryUser } from './ldap-user';

/**
 * Users from an LDAP directory (cluster mode), checked with passport-ldapauth: the service
 * account finds the user's entry, a bind as that entry checks the password, and the
 * entry's groups map to scopes through options.groupScopes.
 *
 * Not a Nest guard (AuthGuard('ldapauth')): a guard would check the password before the
 * token endpoint runs, outside TokenService's login throttle and its one answer for
 * unknown users and wrong passwords. So the strategy is driven directly, behind the
 * UserDirectory port like the users file.
 *
 * Throws DIRECTORY_UNAVAILABLE when LDAP cannot be reached, does not answer within
 * timeoutMs, refuses the service bind or lacks a search base.
 */
export class LdapUserDirectory implements UserDirectory {
  private readonly options: ResolvedLdapOptions;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(options: LdapUserDirectoryOptions) {
    this.options = resolveLdapOptions(options);
  }

  async authenticate(username: string, password: string): Promise<DirectoryUser | undefined> {
    if (this.closed) throw directoryClosed();
    // An LDAP simple bind with a DN and an empty password is an unauthenticated bind, which
    // many servers answer with success (RFC 4513 §5.1.2): never send one.
    if (password === '') return undefined;
    if (!isPlausibleLdapUsername(username)) return undefined;
    const attempt = authenticateOnce(this.options, username, password);
    this.inFlight.add(attempt);
    try {
      const result = await attempt;
      return result && toDirectoryUser(result.entry, username, this.options);
    } finally {
      this.inFlight.delete(attempt);
    }
  }

  /**
   * Refuses new logins and waits for those in progress (each bounded by timeoutMs). There
   * is no pooled connection to release: every attempt owns its two connections and the
   * strategy unbinds them when the attempt ends (see ldap-attempt.ts for the one exception).
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
  }
}
