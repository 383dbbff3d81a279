import os from 'node:os';
import path from 'node:path';

import { ConfigError, loadConfig } from '@ml-run/config';

import {
  authIssuerConfigShape,
  ldapOptionsOf,
  tokenEventsOutboxOf,
  usersFileOf,
} from './auth-issuer.config';

describe('authIssuerConfigShape', () => {
  it('defaults to port 8091, a one-hour TTL and the users file in ~/.ml-run', () => {
    const sut = loadConfig(authIssuerConfigShape, {});
    expect(sut).toMatchObject({
      MLRUN_PORT: 8091,
      MLRUN_TOKEN_TTL: 3_600_000,
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

  it('reads MLRUN_TRUSTED_PROXIES as a list, and names a wrong entry', () => {
    expect(loadConfig(authIssuerConfigShape, {}).MLRUN_TRUSTED_PROXIES).toBeUndefined();
    const sut = loadConfig(authIssuerConfigShape, {
      MLRUN_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8',
    });
    expect(sut.MLRUN_TRUSTED_PROXIES).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(() =>
      loadConfig(authIssuerConfigShape, { MLRUN_TRUSTED_PROXIES: '127.0.0.1,builder' }),
    ).toThrow(
      expect.objectContaining({
        issues: [
          expect.objectContaining({
            variable: 'MLRUN_TRUSTED_PROXIES',
            message: expect.stringContaining('builder'),
          }),
        ],
      }),
    );
  });

  it('keeps the token events outbox in the data directory unless told otherwise', () => {
    const sut = loadConfig(authIssuerConfigShape, { MLRUN_DATA_DIR: '/srv/ml-run' });
    expect(tokenEventsOutboxOf(sut)).toBe('/srv/ml-run/token-events-outbox');
    const moved = loadConfig(authIssuerConfigShape, { MLRUN_TOKEN_EVENTS_OUTBOX_DIR: '~/outbox' });
    expect(tokenEventsOutboxOf(moved)).toBe(path.join(os.homedir(), 'outbox'));
  });

  it.each([
    ['3600', 3_600_000],
    ['300ms', 300],
    ['100ms', 100],
    ['1.5s', 1500],
    ['30d', 2_592_000_000],
  ])('takes MLRUN_TOKEN_TTL=%s as %d ms', (ttl, ms) => {
    expect(loadConfig(authIssuerConfigShape, { MLRUN_TOKEN_TTL: ttl }).MLRUN_TOKEN_TTL).toBe(ms);
  });

  it.each(['0', '99ms', '2592001', '30.5d', '1 hour'])('refuses MLRUN_TOKEN_TTL=%s', (ttl) => {
    expect(() => loadConfig(authIssuerConfigShape, { MLRUN_TOKEN_TTL: ttl })).toThrow(
      'MLRUN_TOKEN_TTL must be a duration such as 250ms, 1.5s, 2m or a whole number of seconds, ' +
        `between 100ms and 30d (got "${ttl}")`,
    );
  });
});

describe(ldapOptionsOf.name, () => {
  const LDAP = {
    MLRUN_LDAP_URL: 'ldaps://ldap.example.com',
    MLRUN_LDAP_BIND_DN: 'uid=ml-run,ou=services,dc=example,dc=org',
    MLRUN_LDAP_BIND_PASSWORD: 'service-secret',
    MLRUN_LDAP_SEARCH_BASE: 'ou=people,dc=example,dc=org',
    MLRUN_LDAP_GROUP_SEARCH_BASE: 'ou=groups,dc=example,dc=org',
  };
  const issuesOf = (env: Record<string, string>) => {
    try {
      ldapOptionsOf(loadConfig(authIssuerConfigShape, env));
    } catch (error) {
      if (error instanceof ConfigError) return error.issues;
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  it('is undefined without MLRUN_LDAP_URL: the users file is used', () => {
    expect(ldapOptionsOf(loadConfig(authIssuerConfigShape, {}))).toBeUndefined();
  });

  it('turns the MLRUN_LDAP_ variables into directory options, with defaults', () => {
    expect(ldapOptionsOf(loadConfig(authIssuerConfigShape, LDAP))).toEqual({
      url: 'ldaps://ldap.example.com',
      bindDN: 'uid=ml-run,ou=services,dc=example,dc=org',
      bindCredentials: 'service-secret',
      searchBase: 'ou=people,dc=example,dc=org',
      searchFilter: '(uid={{username}})',
      groupSearchBase: 'ou=groups,dc=example,dc=org',
      timeoutMs: 5000,
    });
  });

  it('takes a search filter, group scopes and a timeout', () => {
    const sut = ldapOptionsOf(
      loadConfig(authIssuerConfigShape, {
        ...LDAP,
        MLRUN_LDAP_SEARCH_FILTER: '(&(objectClass=user)(sAMAccountName={{username}}))',
        MLRUN_LDAP_GROUP_SCOPES:
          '{"ML Users":["predict:iris","predict:wine"],"ML Admins":["admin"]}',
        MLRUN_LDAP_TIMEOUT_MS: '2500',
      }),
    );
    expect(sut).toMatchObject({
      searchFilter: '(&(objectClass=user)(sAMAccountName={{username}}))',
      groupScopes: { 'ML Users': ['predict:iris', 'predict:wine'], 'ML Admins': ['admin'] },
      timeoutMs: 2500,
    });
  });

  it('names every companion variable MLRUN_LDAP_URL needs and lacks', () => {
    expect(issuesOf({ MLRUN_LDAP_URL: 'ldap://127.0.0.1:3890' })).toEqual(
      [
        'MLRUN_LDAP_BIND_DN',
        'MLRUN_LDAP_BIND_PASSWORD',
        'MLRUN_LDAP_SEARCH_BASE',
        'MLRUN_LDAP_GROUP_SEARCH_BASE',
      ].map((variable) => ({ variable, message: 'is required when MLRUN_LDAP_URL is set' })),
    );
  });

  it('asks for MLRUN_LDAP_URL when only its companions are set', () => {
    expect(issuesOf({ MLRUN_LDAP_SEARCH_BASE: LDAP.MLRUN_LDAP_SEARCH_BASE })).toEqual([
      { variable: 'MLRUN_LDAP_URL', message: 'is required when MLRUN_LDAP_SEARCH_BASE is set' },
    ]);
  });

  it.each([
    [
      'MLRUN_LDAP_URL',
      'https://ldap.example.com',
      'must be ldap://host[:port] or ldaps://host[:port]',
    ],
    [
      'MLRUN_LDAP_SEARCH_FILTER',
      '(objectClass=person)',
      'must compare an attribute with {{username}}',
    ],
    ['MLRUN_LDAP_GROUP_SCOPES', '{"admins":', 'it is not JSON'],
    ['MLRUN_LDAP_GROUP_SCOPES', '["admin"]', 'groupScopes must be an object'],
    ['MLRUN_LDAP_GROUP_SCOPES', '{"ml":["predict:Iris"]}', 'groupScopes.ml.0 is not a scope'],
    ['MLRUN_LDAP_TIMEOUT_MS', '10', 'must be an integer between 100 and 60000'],
  ])('refuses %s=%s, saying what is wrong', (variable, value, message) => {
    expect(() => loadConfig(authIssuerConfigShape, { ...LDAP, [variable]: value })).toThrow(
      expect.objectContaining({
        issues: [{ variable, message: expect.stringContaining(message) }],
      }),
    );
  });

  it('never echoes the bind password', () => {
    const issues = issuesOf({ MLRUN_LDAP_BIND_PASSWORD: 'service-secret' });
    expect(JSON.stringify(issues)).not.toContain('service-secret');
  });
});
