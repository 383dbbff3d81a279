import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';

import { AuthErrorCode } from '@ml-run/token-contract';
import { MemoryTokenStore } from '@ml-run/token-store';
import {
  UserDirectoryError,
  UserDirectoryErrorCode,
  type DirectoryUser,
  type UserDirectory,
} from '@ml-run/user-directory';

import { OAuthError } from '../auth-issuer.errors';
import { TokenSigner } from '../jwt/token-signer';
import { memoryLoginCounters } from '../login-throttle/login-counters.port';
import { LoginThrottle } from '../login-throttle/login-throttle.service';
import { TokenMetrics } from './token.metrics';
import { TokenService } from './token.service';

const PASSWORD = 'right-password-1';
const DETAIL = 'cannot reach LDAP at ldap://10.9.8.7 (ECONNREFUSED); check that it runs';

// A directory that is down until told otherwise, then knows one password.
class FakeDirectory implements UserDirectory {
  failure: Error | undefined = new UserDirectoryError(
    UserDirectoryErrorCode.DirectoryUnavailable,
    DETAIL,
  );

  async authenticate(username: string, password: string): Promise<DirectoryUser | undefined> {
    if (this.failure) throw this.failure;
    return password === PASSWORD ? { username, groups: [], scopes: ['predict:*'] } : undefined;
  }
}

describe(TokenService.name, () => {
  let users: FakeDirectory;
  let store: MemoryTokenStore;
  let registry: Registry;
  let sut: TokenService;
  let throttle: LoginThrottle;
  let logged: unknown[][];
  const login = (username = 'ada', password = PASSWORD) =>
    sut.issue({ grant_type: 'password', username, password }, '10.0.0.1');

  beforeEach(() => {
    users = new FakeDirectory();
    store = new MemoryTokenStore();
    registry = new Registry();
    throttle = new LoginThrottle(
      { maxFailuresPerUser: 2, maxFailuresPerAddress: 3, userCeiling: 10, lockSeconds: 60 },
      memoryLoginCounters,
    );
    sut = new TokenService(
      users,
      store,
      120_000,
      throttle,
      new TokenMetrics(registry),
      new TokenSigner(undefined),
    );
    logged = [];
    for (const level of ['log', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logged.push([level, ...args]);
      });
    }
  });
  afterEach(() => {
    jest.restoreAllMocks();
    store.close();
  });

  describe('when the directory is unavailable', () => {
    it('answers temporarily_unavailable (AUTH_UNAVAILABLE, retry in 5 s) in plain words', async () => {
      const error = await login().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OAuthError);
      expect(error).toMatchObject({
        error: 'temporarily_unavailable',
        code: AuthErrorCode.AuthUnavailable,
        retryAfterSeconds: 5,
        message:
          'login is temporarily unavailable: the user directory cannot be reached; try again in a few seconds',
      });
    });

    it('keeps the directory detail out of the answer and in the log', async () => {
      const error = await login().catch((e: unknown) => e);
      expect(String(error)).not.toContain('10.9.8.7');
      expect(logged).toContainEqual([
        'error',
        { username: 'ada', address: '10.0.0.1', reason: 'directory unavailable', detail: DETAIL },
        'login not checked',
      ]);
      expect(JSON.stringify(logged)).not.toContain(PASSWORD);
    });

    it('counts no failed login against the user or the address', async () => {
      for (let n = 0; n < 6; n++) {
        await expect(login('ada', 'wrong-password')).rejects.toMatchObject({
          code: AuthErrorCode.AuthUnavailable,
        });
      }
      users.failure = undefined;
      await expect(login()).resolves.toMatchObject({ scope: 'predict:*' });
    });

    it('counts it in mlrun_logins_failed_total{reason="unavailable"}', async () => {
      await login().catch(() => undefined);
      const metric = await registry.getSingleMetricAsString('mlrun_logins_failed_total');
      expect(metric).toMatch(/reason="unavailable"\} 1/);
      expect(metric).toMatch(/reason="credentials"\} 0/);
    });
  });

  it('passes other directory errors on unchanged (a 500 with an error id)', async () => {
    const broken = new UserDirectoryError(UserDirectoryErrorCode.UsersFileInvalid, 'bad file');
    users.failure = broken;
    await expect(login()).rejects.toBe(broken);
  });

  it('still counts a wrong password once the directory is back', async () => {
    users.failure = undefined;
    await expect(login('ada', 'wrong-password')).rejects.toMatchObject({
      code: AuthErrorCode.InvalidCredentials,
    });
    await expect(login('ada', 'wrong-password')).rejects.toMatchObject({
      code: AuthErrorCode.InvalidCredentials,
    });
    await expect(login()).rejects.toMatchObject({ code: AuthErrorCode.TooManyAttempts });
  });

  it('answers 503 (AUTH_UNAVAILABLE, retry in 5 s) when the token store cannot record the token', async () => {
    users.failure = undefined;
    jest.spyOn(store, 'put').mockRejectedValue(new Error('Ignite at 127.0.0.1:10800 is away'));
    const refused = await login().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OAuthError);
    expect(refused).toMatchObject({
      error: 'temporarily_unavailable',
      code: AuthErrorCode.AuthUnavailable,
      retryAfterSeconds: 5,
    });
    expect((refused as Error).message).not.toContain('10800');
    const metric = await registry.getSingleMetricAsString('mlrun_logins_failed_total');
    expect(metric).toMatch(/reason="unavailable"\} 1/);
  });

  it('answers 503 and counts it as unavailable, not throttled, when failures cannot be counted', async () => {
    users.failure = undefined;
    const away = new Error('Ignite at 127.0.0.1:10800 is away');
    jest.spyOn(throttle, 'begin').mockRejectedValue(
      new OAuthError('temporarily_unavailable', AuthErrorCode.AuthUnavailable, 'no counts', 5, {
        cause: away,
      }),
    );
    await expect(login()).rejects.toMatchObject({ code: AuthErrorCode.AuthUnavailable });
    const metric = await registry.getSingleMetricAsString('mlrun_logins_failed_total');
    expect(metric).toMatch(/reason="unavailable"\} 1/);
    expect(metric).toMatch(/reason="throttled"\} 0/);
    expect(logged).toContainEqual([
      'error',
      { err: away, username: 'ada', address: '10.0.0.1', reason: 'counts unavailable' },
      'login not checked',
    ]);
  });
});
