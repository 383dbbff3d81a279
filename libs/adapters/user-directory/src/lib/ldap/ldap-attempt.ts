import passport from 'passport';
import Strategy from 'passport-ldapauth';

import {
  directoryUnavailable,
  searchBaseMissing,
  serviceBindRefused,
  type LdapTarget,
} from './ldap-failure';
import type { ResolvedLdapOptions } from './ldap-options';

type ServerOptions = Strategy.Options['server'];
// What passport.authenticate returns (typed `any` upstream): Connect-style middleware.
type Middleware = (request: unknown, response: unknown, next: (error?: unknown) => void) => void;
// passport hands these to the strategy's authenticate; passport-ldapauth reads noSuchObject.
type AttemptOptions = passport.AuthenticateOptions & { noSuchObject: string };

/**
 * The authenticated LDAP entry (with `_groups`), or a refusal; `userFound` tells whether
 * the directory had the user (a wrong password) or not (an unknown user).
 */
export type LdapAttemptResult =
  { outcome: 'authenticated'; entry: unknown } | { outcome: 'refused'; userFound: boolean };

// Passed as the strategy's `noSuchObject` message: a search base that does not exist is a
// configuration error, which passport-ldapauth otherwise reports as a failed login.
const NO_SUCH_BASE = 'mlrun:no-such-search-base';
// ldapauth-fork traces these (documented `log` option, component ldapauth). A refused
// service bind reaches the strategy as InvalidCredentialsError, exactly like a wrong user
// password, and an unknown user as the same failure: only the traces tell them apart. A
// bind error traced after the service bind succeeded is the user's bind.
const SERVICE_BOUND_TRACE = 'ldap authenticate: bind ok';
const BIND_ERROR_TRACE = 'ldap authenticate: bind error: %s';

/** The bind that starts an attempt: the service account, or a dummy that must fail. */
type FirstBind = { bindDN: string; bindCredentials: string };

type StrategyRun =
  | { kind: 'success'; entry: unknown }
  | { kind: 'fail'; challenge: unknown; serviceBound: boolean; userBindRefused: boolean };

/**
 * One login through passport-ldapauth: service bind, user search, user bind, group search.
 * The strategy opens its own two connections per attempt and unbinds them when done, so a
 * directory that went away and came back just works on the next attempt.
 *
 * Known upstream leak (ldapauth-fork 5.0.5 + ldapjs 2.3.3): the user connection is opened
 * eagerly; when an attempt ends before it is needed (unknown user, refused service bind,
 * the dummy bind) and before it finished connecting, ldapjs's unbind is a no-op and the
 * connection stays open, idle, until the server closes it. Measured on loopback: 2-6 per
 * 1000 such attempts. Neither package exposes the connection, so the bound is the server's
 * idle timeout.
 */
export async function authenticateOnce(
  options: ResolvedLdapOptions,
  username: string,
  password: string,
): Promise<LdapAttemptResult> {
  const run = await runStrategy(options, options, username, password, options.timeoutMs);
  if (run.kind === 'success') return { outcome: 'authenticated', entry: run.entry };
  if (messageOf(run.challenge) === NO_SUCH_BASE) throw searchBaseMissing(options);
  if (!run.serviceBound) throw serviceBindRefused(options);
  return { outcome: 'refused', userFound: run.userBindRefused };
}

/**
 * What a wrong password costs after the search: a bind with the given password, refused.
 * Bound as `dn`, an entry that does not exist, it fails like a wrong password (RFC 4513
 * §6.3.1: invalidCredentials, whether or not the DN exists). The strategy sends it as the
 * first bind of a fresh attempt, then stops; nothing it answers authenticates anyone.
 * Rejects with DIRECTORY_UNAVAILABLE like a user bind that met an outage.
 */
export async function dummyBind(
  options: ResolvedLdapOptions,
  dn: string,
  password: string,
  timeoutMs: number,
): Promise<void> {
  const first = { bindDN: dn, bindCredentials: password };
  await runStrategy(options, first, dn, password, timeoutMs);
}

function runStrategy(
  options: ResolvedLdapOptions,
  first: FirstBind,
  username: string,
  password: string,
  timeoutMs: number,
): Promise<StrategyRun> {
  return new Promise((resolve, reject) => {
    const target: LdapTarget = options;
    const watch = watchBinds();
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
      timeoutMs,
    );
    const succeeded = (entry: unknown) => settle(() => resolve({ kind: 'success', entry }));
    const failed = (challenge: unknown) =>
      settle(() => resolve({ kind: 'fail', challenge, ...watch.seen() }));
    const broke = (error: unknown) => settle(() => reject(directoryUnavailable(error, target)));
    try {
      const server = serverOptions(options, first, timeoutMs, watch.log);
      runThroughPassport(new Strategy({ server }), username, password, {
        succeeded,
        failed,
        broke,
      });
    } catch (error) {
      broke(error);
    }
  });
}

/**
 * Runs a strategy of this attempt's own (its first bind and bind watcher are per attempt)
 * through passport, which gives it its success/fail/error actions and reports the outcome.
 * Passed as an instance, it stays out of passport's registry of named strategies.
 */
function runThroughPassport(
  strategy: Strategy,
  username: string,
  password: string,
  on: {
    succeeded(entry: unknown): void;
    failed(challenge: unknown): void;
    broke(e: unknown): void;
  },
): void {
  const attemptOptions: AttemptOptions = { session: false, noSuchObject: NO_SUCH_BASE };
  const authenticate: Middleware = passport.authenticate(
    strategy,
    attemptOptions,
    (error: unknown, entry: unknown, challenge: unknown) => {
      if (error) on.broke(error);
      else if (entry) on.succeeded(entry);
      else on.failed(challenge);
    },
  );
  authenticate({ body: { username, password } }, {}, on.broke);
}

function serverOptions(
  options: ResolvedLdapOptions,
  first: FirstBind,
  timeoutMs: number,
  log: LdapLog,
): ServerOptions {
  return {
    url: options.url,
    bindDN: first.bindDN,
    bindCredentials: first.bindCredentials,
    searchBase: options.searchBase,
    searchFilter: options.searchFilter,
    // Only what is needed: never userPassword or other personal attributes.
    searchAttributes: ['dn', options.usernameAttribute],
    groupSearchBase: options.groupSearchBase,
    groupSearchFilter: options.groupSearchFilter,
    groupSearchAttributes: ['cn'],
    timeout: timeoutMs,
    connectTimeout: Math.min(options.connectTimeoutMs, timeoutMs),
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

function watchBinds(): {
  log: LdapLog;
  seen(): { serviceBound: boolean; userBindRefused: boolean };
} {
  let serviceBound = false;
  let userBindRefused = false;
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
      if (args[0] === SERVICE_BOUND_TRACE) serviceBound = true;
      else if (args[0] === BIND_ERROR_TRACE && serviceBound) userBindRefused = true;
    },
  };
  const log: LdapLog = {
    ...silent,
    child: (fields) => (isLdapauthComponent(fields) ? watcher : silent),
  };
  return { log, seen: () => ({ serviceBound, userBindRefused }) };
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
