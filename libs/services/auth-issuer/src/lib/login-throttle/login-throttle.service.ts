import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

import { AuthErrorCode } from '@ml-run/token-contract';

import { OAuthError } from '../auth-issuer.errors';

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

type Counter = { limiter: RateLimiterMemory; key: string };

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
  private readonly byPair: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;
  private readonly byUser: RateLimiterMemory;

  constructor(@Inject(LOGIN_THROTTLE_LIMITS) private readonly limits: LoginThrottleLimits) {
    const duration = limits.lockSeconds;
    this.byPair = new RateLimiterMemory({ points: limits.maxFailuresPerUser, duration });
    this.byAddress = new RateLimiterMemory({ points: limits.maxFailuresPerAddress, duration });
    this.byUser = new RateLimiterMemory({ points: limits.userCeiling, duration });
  }

  /**
   * Admits an attempt, or throws TOO_MANY_ATTEMPTS (with the seconds until unlock) when the
   * pair or the address is locked, or the username is past its ceiling and the address has
   * failed recently; the password is then never checked.
   */
  async begin(username: string, address: string): Promise<LoginAttempt> {
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
      succeeded: async () => {
        await Promise.all([pair.limiter.delete(pair.key), giveBack(client), giveBack(user)]);
      },
      failed: async () => {
        await Promise.all([this.lockAt(pair, pairCount), this.lockAt(client, clientCount)]);
      },
      abandoned: async () => {
        await Promise.all(counters.map(giveBack));
      },
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
