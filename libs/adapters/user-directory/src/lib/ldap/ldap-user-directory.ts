import { randomBytes } from 'node:crypto';

import type { DirectoryUser, UserAdministration, UserDirectory } from '../user-directory.port';
import { authenticateOnce, dummyBind } from './ldap-attempt';
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
 * passport runs the strategy (ldap-attempt.ts); the issuer's Nest login guard reaches this
 * directory through the UserDirectory port, behind its login throttle, like the users file.
 * The LDAP steps that must happen between a failed search and the answer (the dummy bind
 * below, telling a refused service bind from a wrong password) stay here, with LDAP.
 *
 * An unknown user takes the path of a wrong password: after the search finds no one, a
 * bind with the given password as a DN that does not exist (`dummyDn`), refused alike.
 *
 * Throws DIRECTORY_UNAVAILABLE when LDAP cannot be reached, does not answer within
 * timeoutMs, refuses the service bind or lacks a search base.
 */
export class LdapUserDirectory implements UserDirectory {
  private readonly options: ResolvedLdapOptions;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;
  /** Shaped like a user's DN; random, so that no entry has it. */
  readonly dummyDn: string;
  /**
   * Read-only: users are added and removed in LDAP itself. The groups are the configured
   * mapping (groupScopes). Users are not listed: ML-RUN's service account is configured to
   * find one user by name, not to enumerate the directory (which may hold every employee).
   */
  readonly admin: UserAdministration;

  constructor(options: LdapUserDirectoryOptions) {
    this.options = resolveLdapOptions(options);
    const groups = [...this.options.groups.values()].sort((a, b) => a.name.localeCompare(b.name));
    this.admin = {
      managedBy: 'ldap',
      listUsers: () => Promise.resolve(undefined),
      listGroups: () =>
        Promise.resolve(groups.map(({ name, scopes }) => ({ name, scopes: [...scopes] }))),
    };
    const name = `mlrun-no-such-user-${randomBytes(12).toString('hex')}`;
    this.dummyDn = `${this.options.usernameAttribute}=${name},${this.options.searchBase}`;
  }

  async authenticate(username: string, password: string): Promise<DirectoryUser | undefined> {
    if (this.closed) throw directoryClosed();
    // An LDAP simple bind with a DN and an empty password is an unauthenticated bind, which
    // many servers answer with success (RFC 4513 §5.1.2): never send one.
    if (password === '') return undefined;
    if (!isPlausibleLdapUsername(username)) return undefined;
    const attempt = this.check(username, password);
    this.inFlight.add(attempt);
    try {
      return await attempt;
    } finally {
      this.inFlight.delete(attempt);
    }
  }

  private async check(username: string, password: string): Promise<DirectoryUser | undefined> {
    const started = Date.now();
    const result = await authenticateOnce(this.options, username, password);
    if (result.outcome === 'authenticated') {
      return toDirectoryUser(result.entry, username, this.options);
    }
    // Whether the name exists must not show: an unknown user's login sends the bind a
    // wrong password sends, and fails the same way, within the same time bound.
    if (!result.userFound) {
      const left = Math.max(1, this.options.timeoutMs - (Date.now() - started));
      await dummyBind(this.options, this.dummyDn, password, left);
    }
    return undefined;
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
