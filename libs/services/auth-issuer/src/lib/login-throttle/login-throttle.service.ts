import { Inject, Injectable } from '@nestjs/common';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

import { AuthErrorCode } from '@ml-run/token-contract';

import { OAuthError } from '../auth-issuer.errors';
import { LOGIN_COUNTERS, type LoginCounters } from './login-counters.port';

export type LoginThrottleLimits = {
  /** Failures for one username from one address before that pair is locked. */
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  /**
   * Failures for one username from all addresses together; past it only addresses with no
   * recent failure may try (the account's owner, not a guesser, is the likely caller).
   */
  userCeiling: number;
  /** How long a lock lasts; failures are also counted over a window this long. */
  lockSeconds: number;
};

export const LOGIN_THROTTLE_LIMITS = Symbol('LOGIN_THROTTLE_LIMITS');

/** The outcome of an admitted login attempt; call exactly one. */
export type LoginAttempt = {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
  /** The check itself broke (e.g. the users file is unreadable): count nothing. */
  abandoned(): Promise<void>;
};

type Counter = { limiter: RateLimiterAbstract; key: string };

/**
 * Counts failed logins per (username, address), per address, and per username across
 * addresses, so that guessing from one place locks that place, not the account: a caller
 * elsewhere with the right password still gets in. Past the per-username ceiling only
 * addresses with no recent failure may try. An attempt is counted before the password is
 * checked and given back when it succeeds, so a burst of parallel guesses cannot slip past
 * a limit while the (slow) checks run.
 */
@Injectable()
export class LoginThrottle {
  private readonly byPair: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;
  private readonly byUser: RateLimiterAbstract;

  constructor(
    @Inject(LOGIN_THROTTLE_LIMITS) private readonly limits: LoginThrottleLimits,
    @Inject(LOGIN_COUNTERS) counters: LoginCounters,
  ) {
    const duration = limits.lockSeconds;
    // One prefix per limiter: in a shared store (Ignite) their keys would otherwise meet.
    const limiter = (keyPrefix: string, points: number) =>
      counters.limiter({ keyPrefix, points, duration });
    this.byPair = limiter('login-pair', limits.maxFailuresPerUser);
    this.byAddress = limiter('login-address', limits.maxFailuresPerAddress);
    this.byUser = limiter('login-user', limits.userCeiling);
  }

  /**
   * Admits an attempt, or throws TOO_MANY_ATTEMPTS (with the seconds until unlock) when the
   * pair or the address is locked, or the username is past its ceiling and the address has
   * failed recently; the password is then never checked.
   */
  begin(username: string, address: string): Promise<LoginAttempt> {
    return counted(() => this.admit(username, address));
  }

  private async admit(username: string, address: string): Promise<LoginAttempt> {
    // LDAP matches names without case (uid=Alice finds alice): the variants of one name
    // share a counter, so they cannot multiply its allowance.
    const name = username.toLowerCase();
    const pair: Counter = { limiter: this.byPair, key: `${name}@${address}` };
    const client: Counter = { limiter: this.byAddress, key: address };
    const user: Counter = { limiter: this.byUser, key: name };
    const cleanAddress = (await this.byAddress.get(address)) === null;
    const counters = [pair, client, user];
    const counts = await Promise.all(counters.map(reserve));
    const [pairCount, clientCount, userCount] = counts as [Count, Count, Count];
    const locked = [pairCount, clientCount].filter(isOver);
    if (isOver(userCount) && !cleanAddress) locked.push(userCount);
    if (locked.length > 0) {
      await Promise.all(counters.map(giveBack));
      throw tooManyAttempts(Math.max(...locked.map((r) => r.msBeforeNext)));
    }
    return {
      succeeded: () =>
        counted(async () => {
          await Promise.all([pair.limiter.delete(pair.key), giveBack(client), giveBack(user)]);
        }),
      failed: () =>
        counted(async () => {
          await Promise.all([this.lockAt(pair, pairCount), this.lockAt(client, clientCount)]);
        }),
      abandoned: () =>
        counted(async () => {
          await Promise.all(counters.map(giveBack));
        }),
    };
  }

  // The failure that reaches the limit starts a full lock, counted from now.
  private async lockAt(counter: Counter, count: Count): Promise<void> {
    if (count.consumedPoints >= count.points) {
      await counter.limiter.block(counter.key, this.limits.lockSeconds);
    }
  }
}

type Count = { consumedPoints: number; points: number; msBeforeNext: number };

// A store that cannot count (Ignite away) admits no one: without counts a guesser would be
// unlimited. The caller did nothing wrong, so it is 503 with Retry-After, not a 500.
async function counted<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    throw new OAuthError(
      'temporarily_unavailable',
      AuthErrorCode.AuthUnavailable,
      'login is temporarily unavailable: failed logins cannot be counted; try again in a few seconds',
      5,
      { cause: error },
    );
  }
}

const isOver = (count: Count) => count.consumedPoints > count.points;

async function reserve({ limiter, key }: Counter): Promise<Count> {
  const result: RateLimiterRes = await limiter.penalty(key);
  return {
    consumedPoints: result.consumedPoints,
    points: limiter.points,
    msBeforeNext: result.msBeforeNext,
  };
}

async function giveBack({ limiter, key }: Counter): Promise<void> {
  await limiter.reward(key);
}

function tooManyAttempts(msBeforeUnlock: number): OAuthError {
  const seconds = Math.max(1, Math.ceil(msBeforeUnlock / 1000));
  return new OAuthError(
    'temporarily_unavailable',
    AuthErrorCode.TooManyAttempts,
    `too many failed logins; try again in ${seconds} seconds`,
    seconds,
  );
}
