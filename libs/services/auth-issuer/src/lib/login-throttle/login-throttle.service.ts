import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

import { AuthErrorCode } from '@ml-run/token-contract';

import { OAuthError } from '../auth-issuer.errors';

export type LoginThrottleLimits = {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
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
 * Counts failed logins per username and per client address. An attempt is counted before
 * the password is checked and given back when it succeeds, so a burst of parallel guesses
 * cannot slip past the limit while the (slow) checks run.
 */
@Injectable()
export class LoginThrottle {
  private readonly byUser: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(@Inject(LOGIN_THROTTLE_LIMITS) private readonly limits: LoginThrottleLimits) {
    const duration = limits.lockSeconds;
    this.byUser = new RateLimiterMemory({ points: limits.maxFailuresPerUser, duration });
    this.byAddress = new RateLimiterMemory({ points: limits.maxFailuresPerAddress, duration });
  }

  /**
   * Admits an attempt, or throws TOO_MANY_ATTEMPTS (with the seconds until unlock) when the
   * username or the address is locked; the password is then never checked.
   */
  async begin(username: string, address: string): Promise<LoginAttempt> {
    // LDAP matches names without case (uid=Alice finds alice): the variants of one name
    // share a counter, so they cannot multiply its allowance.
    const user: Counter = { limiter: this.byUser, key: username.toLowerCase() };
    const client: Counter = { limiter: this.byAddress, key: address };
    const [userCount, clientCount] = await Promise.all([reserve(user), reserve(client)]);
    const locked = [userCount, clientCount].filter((r) => r.consumedPoints > r.points);
    if (locked.length > 0) {
      await Promise.all([giveBack(user), giveBack(client)]);
      throw tooManyAttempts(Math.max(...locked.map((r) => r.msBeforeNext)));
    }
    return {
      succeeded: async () => {
        await Promise.all([user.limiter.delete(user.key), giveBack(client)]);
      },
      failed: async () => {
        await Promise.all([this.lockAt(user, userCount), this.lockAt(client, clientCount)]);
      },
      abandoned: async () => {
        await Promise.all([giveBack(user), giveBack(client)]);
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
