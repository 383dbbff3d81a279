import Strategy from 'passport-ldapauth';

import {
  directoryUnavailable,
  searchBaseMissing,
  serviceBindRefused,
  type LdapTarget,
} from './ldap-failure';
import type { ResolvedLdapOptions } from './ldap-options';

type ServerOptions = Strategy.Options['server'];
type StrategyRequest = Parameters<Strategy['authenticate']>[0];

// Passport adds these to a per-request copy of a strategy; the package's types omit them.
type StrategyOutcome = {
  success(user: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  error(error: unknown): void;
};

/** The authenticated LDAP entry (with `_groups`), or undefined for wrong credentials. */
export type LdapAttemptResult = { entry: unknown } | undefined;

// Passed as the strategy's `noSuchObject` message: a search base that does not exist is a
// configuration error, which passport-ldapauth otherwise reports as a failed login.
const NO_SUCH_BASE = 'mlrun:no-such-search-base';
// ldapauth-fork traces this (documented `log` option, component ldapauth) once the service
// account is bound. A refused service bind reaches the strategy as InvalidCredentialsError,
// exactly like a wrong user password; only this tells the two apart.
const SERVICE_BOUND_TRACE = 'ldap authenticate: bind ok';

/**
 * One login through passport-ldapauth: service bind, user search, user bind, group search.
 * The strategy opens its own two connections per attempt and unbinds them when done, so a
 * directory that went away and came back just works on the next attempt.
 *
 * Known upstream leak (ldapauth-fork 5.0.5 + ldapjs 2.3.3): the user connection is opened
 * eagerly; when an attempt ends before it is needed (unknown user, refused service bind)
 * and before it finished connecting, ldapjs's unbind is a no-op and the connection stays
 * open, idle, until the server closes it. Measured on loopback: 2-6 per 1000 such attempts.
 * Neither package exposes the connection, so the bound is the server's idle timeout.
 */
export function authenticateOnce(
  options: ResolvedLdapOptions,
  username: string,
  password: string,
): Promise<LdapAttemptResult> {
  return new Promise((resolve, reject) => {
    const target: LdapTarget = options;
    const watch = watchServiceBind();
    // ldapjs may report one outage several times (both connections, then the callbacks).
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      finish();
    };
    const deadline = setTimeout(
      () => settle(() => reject(directoryUnavailable(timeoutError(), target))),
      options.timeoutMs,
    );
    const outcome: StrategyOutcome = {
      success: (entry) => settle(() => resolve({ entry })),
      fail: (challenge) =>
        settle(() => {
          if (messageOf(challenge) === NO_SUCH_BASE) reject(searchBaseMissing(target));
          else if (!watch.serviceBound()) reject(serviceBindRefused(target));
          else resolve(undefined);
        }),
      error: (error) => settle(() => reject(directoryUnavailable(error, target))),
    };
    try {
      const strategy = new Strategy({ server: serverOptions(options, watch.log) });
      Object.assign(strategy, outcome);
      const request = { body: { username, password } } as unknown as StrategyRequest;
      strategy.authenticate(request, { noSuchObject: NO_SUCH_BASE });
    } catch (error) {
      outcome.error(error);
    }
  });
}

function serverOptions(options: ResolvedLdapOptions, log: LdapLog): ServerOptions {
  return {
    url: options.url,
    bindDN: options.bindDN,
    bindCredentials: options.bindCredentials,
    searchBase: options.searchBase,
    searchFilter: options.searchFilter,
    // Only what is needed: never userPassword or other personal attributes.
    searchAttributes: ['dn', options.usernameAttribute],
    groupSearchBase: options.groupSearchBase,
    groupSearchFilter: options.groupSearchFilter,
    groupSearchAttributes: ['cn'],
    timeout: options.timeoutMs,
    connectTimeout: options.connectTimeoutMs,
    // Connections live for one attempt; a new attempt connects afresh.
    reconnect: false,
    log,
  };
}

// The bunyan-shaped logger ldapauth-fork and ldapjs accept. It records one fact and logs
// nothing: ldapjs traces request bodies, bind passwords included.
type LdapLog = Record<'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', () => void> & {
  child(fields?: unknown): LdapLog;
};

function watchServiceBind(): { log: LdapLog; serviceBound(): boolean } {
  let bound = false;
  const ignore = () => undefined;
  const silent: LdapLog = {
    trace: ignore,
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
    fatal: ignore,
    child: () => silent,
  };
  const watcher: LdapLog = {
    ...silent,
    trace: (...args: unknown[]) => {
      if (args[0] === SERVICE_BOUND_TRACE) bound = true;
    },
  };
  const log: LdapLog = {
    ...silent,
    child: (fields) => (isLdapauthComponent(fields) ? watcher : silent),
  };
  return { log, serviceBound: () => bound };
}

function isLdapauthComponent(fields: unknown): boolean {
  return (
    typeof fields === 'object' &&
    fields !== null &&
    (fields as { component?: unknown }).component === 'ldapauth'
  );
}

function messageOf(challenge: unknown): unknown {
  return typeof challenge === 'object' && challenge !== null
    ? (challenge as { message?: unknown }).message
    : undefined;
}

function timeoutError(): Error {
  const error = new Error('no answer in time');
  error.name = 'TimeoutError';
  return error;
}
