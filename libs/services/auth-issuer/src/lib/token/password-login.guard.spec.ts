import passport from 'passport';

import { SCRAPER } from '@ml-run/server/testing';
import { AuthErrorCode } from '@ml-run/token-contract';
import {
  UserDirectoryError,
  UserDirectoryErrorCode,
  type DirectoryUser,
  type UserDirectory,
} from '@ml-run/user-directory';

import { startTestIssuer, type TestIssuer } from '../../testing/start-test-issuer';
import { OAuthError } from '../auth-issuer.errors';
import { LoginThrottle } from '../login-throttle/login-throttle.service';
import { PasswordLoginGuard } from './password-login.guard';
import { PASSWORD_STRATEGY_NAME } from './password.strategy';

const PASSWORD = 'right-password-1';
const DETAIL = 'cannot reach LDAP at ldap://10.9.8.7 (ECONNREFUSED); check that it runs';
const UNAVAILABLE = {
  error: 'temporarily_unavailable',
  error_description:
    'login is temporarily unavailable: the user directory cannot be reached; try again in a few seconds',
  code: 'AUTH_UNAVAILABLE',
  message:
    'login is temporarily unavailable: the user directory cannot be reached; try again in a few seconds',
};

// A directory that is down until told otherwise, then knows one password.
class FakeDirectory implements UserDirectory {
  failure: Error | undefined = new UserDirectoryError(
    UserDirectoryErrorCode.DirectoryUnavailable,
    DETAIL,
  );
  readonly asked: string[] = [];

  constructor(private readonly scopes = ['predict:*']) {}

  async authenticate(username: string, password: string): Promise<DirectoryUser | undefined> {
    this.asked.push(username);
    if (this.failure) throw this.failure;
    return password === PASSWORD ? { username, groups: [], scopes: this.scopes } : undefined;
  }
}

describe(PasswordLoginGuard.name, () => {
  let users: FakeDirectory;
  let issuer: TestIssuer;
  const login = (username = 'ada', password = PASSWORD, scope?: string) =>
    issuer.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      remoteAddress: '10.0.0.1',
      payload: { grant_type: 'password', username, password, ...(scope ? { scope } : {}) },
    });
  const failedLogins = async () =>
    (await issuer.app.inject({ method: 'GET', url: '/metrics', headers: SCRAPER })).body
      .split('\n')
      .filter((line) => line.startsWith('mlrun_logins_failed_total{'));

  beforeEach(async () => {
    users = new FakeDirectory();
    issuer = await startTestIssuer(
      { MLRUN_LOGIN_MAX_FAILURES_PER_USER: '2', MLRUN_LOGIN_LOCK_SECONDS: '60' },
      undefined,
      undefined,
      users,
    );
  });
  afterEach(() => issuer.close());

  describe('when the directory is unavailable', () => {
    it('answers 503 temporarily_unavailable (AUTH_UNAVAILABLE, Retry-After: 5) in plain words', async () => {
      const res = await login();
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual(UNAVAILABLE);
    });

    it('keeps the directory detail out of the answer and in the log', async () => {
      const res = await login();
      expect(res.body).not.toContain('10.9.8.7');
      expect(issuer.logs).toContainEqual(
        expect.objectContaining({
          msg: 'login not checked',
          username: 'ada',
          address: '10.0.0.1',
          reason: 'directory unavailable',
          detail: DETAIL,
        }),
      );
      expect(JSON.stringify(issuer.logs)).not.toContain(PASSWORD);
    });

    it('counts no failed login against the user or the address', async () => {
      for (let n = 0; n < 6; n++)
        expect((await login('ada', 'wrong-password')).statusCode).toBe(503);
      users.failure = undefined;
      expect((await login()).statusCode).toBe(200);
    });

    it('counts it in mlrun_logins_failed_total{reason="unavailable"}', async () => {
      await login();
      const lines = await failedLogins();
      expect(lines).toContainEqual(expect.stringMatching(/reason="unavailable".*\} 1$/));
      expect(lines).toContainEqual(expect.stringMatching(/reason="credentials".*\} 0$/));
    });
  });

  it('passes other directory errors on as a 500 with an error id, not their message', async () => {
    users.failure = new UserDirectoryError(UserDirectoryErrorCode.UsersFileInvalid, 'bad file');
    const res = await login();
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      code: 'INTERNAL',
      message: expect.any(String),
      requestId: expect.any(String),
    });
    expect(res.body).not.toContain('bad file');
  });

  it('still counts a wrong password once the directory is back, then locks', async () => {
    users.failure = undefined;
    for (let n = 0; n < 2; n++) {
      expect((await login('ada', 'wrong-password')).json().code).toBe('INVALID_CREDENTIALS');
    }
    expect((await login()).json().code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('checks no password for a malformed request, a bad scope or a locked attempt', async () => {
    users.failure = undefined;
    await issuer.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { grant_type: 'password', username: 'ada' },
    });
    expect((await login('ada', PASSWORD, 'everything')).json().code).toBe('INVALID_SCOPE');
    expect(users.asked).toEqual([]);
    for (let n = 0; n < 2; n++) await login('ada', 'wrong-password');
    users.asked.length = 0;
    expect((await login()).statusCode).toBe(429);
    expect(users.asked).toEqual([]);
  });

  it('answers 503 and counts it as unavailable, not throttled, when failures cannot be counted', async () => {
    users.failure = undefined;
    const away = new Error('Ignite at 127.0.0.1:10800 is away');
    jest.spyOn(issuer.app.nest.get(LoginThrottle), 'begin').mockRejectedValue(
      new OAuthError('temporarily_unavailable', AuthErrorCode.AuthUnavailable, 'no counts', 5, {
        cause: away,
      }),
    );
    const res = await login();
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('AUTH_UNAVAILABLE');
    expect(users.asked).toEqual([]);
    const lines = await failedLogins();
    expect(lines).toContainEqual(expect.stringMatching(/reason="unavailable".*\} 1$/));
    expect(lines).toContainEqual(expect.stringMatching(/reason="throttled".*\} 0$/));
    expect(issuer.logs).toContainEqual(
      expect.objectContaining({ msg: 'login not checked', reason: 'counts unavailable' }),
    );
  });

  it('checks passwords against its own directory when another issuer runs in the process', async () => {
    users.failure = undefined;
    const admins = new FakeDirectory(['admin']);
    admins.failure = undefined;
    const other = await startTestIssuer({}, undefined, undefined, admins);
    try {
      expect((await login()).json().scope).toBe('predict:*');
      expect(users.asked).toEqual(['ada']);
      expect(admins.asked).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('takes its strategy out of passport when the app closes', async () => {
    const other = await startTestIssuer({}, undefined, undefined, new FakeDirectory());
    const name = other.app.nest.get<string>(PASSWORD_STRATEGY_NAME);
    const known = () =>
      new Promise<boolean>((resolve) => {
        const run: (req: unknown, res: unknown, next: (e?: unknown) => void) => void =
          passport.authenticate(name, { session: false }, () => resolve(true));
        run({ body: { username: 'ada', password: PASSWORD } }, {}, (error) =>
          resolve(!String(error).includes('Unknown authentication strategy')),
        );
      });
    expect(await known()).toBe(true);
    await other.close();
    expect(await known()).toBe(false);
  });
});
