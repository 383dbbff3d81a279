import os from 'node:os';
import path from 'node:path';

import { ConfigError, loadConfig } from '@ml-run/config';

import { authIssuerConfigShape, usersFileOf } from './auth-issuer.config';

describe('authIssuerConfigShape', () => {
  it('defaults to port 8091, a one-hour TTL and the users file in ~/.ml-run', () => {
    const sut = loadConfig(authIssuerConfigShape, {});
    expect(sut).toMatchObject({
      MLRUN_PORT: 8091,
      MLRUN_TOKEN_TTL: 3600,
      MLRUN_DATA_DIR: '~/.ml-run',
      MLRUN_LOGIN_MAX_FAILURES_PER_USER: 5,
      MLRUN_LOGIN_MAX_FAILURES_PER_ADDRESS: 20,
      MLRUN_LOGIN_LOCK_SECONDS: 900,
    });
    expect(usersFileOf(sut)).toBe(path.join(os.homedir(), '.ml-run', 'users.json'));
  });

  it('prefers MLRUN_USERS_FILE over the data directory', () => {
    const sut = loadConfig(authIssuerConfigShape, {
      MLRUN_DATA_DIR: '/srv/ml-run',
      MLRUN_USERS_FILE: '~/people.json',
    });
    expect(usersFileOf(sut)).toBe(path.join(os.homedir(), 'people.json'));
  });

  it.each(['0', '2592001'])('refuses MLRUN_TOKEN_TTL=%s', (ttl) => {
    expect(() => loadConfig(authIssuerConfigShape, { MLRUN_TOKEN_TTL: ttl })).toThrow(ConfigError);
  });
});
