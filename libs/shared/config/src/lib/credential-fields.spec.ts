import { credentialDigest } from '@ml-run/token-contract';

import { ConfigError } from './config.errors';
import {
  checkedCredentialVar,
  presentedCredentialVar,
  retiredServiceTokenVar,
} from './credential-fields';
import { loadConfig, redactConfig } from './load-config';
import { serverConfigShape } from './server.config';

const CREDENTIAL = 'c'.repeat(32);

function issuesOf(shape: Parameters<typeof loadConfig>[0], env: Record<string, string>) {
  try {
    loadConfig(shape, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
  }
  throw new Error('expected a ConfigError');
}

describe(presentedCredentialVar.name, () => {
  const shape = { MLRUN_X_TOKEN: presentedCredentialVar({ required: true }) };

  it('takes the credential itself', () => {
    expect(loadConfig(shape, { MLRUN_X_TOKEN: CREDENTIAL }).MLRUN_X_TOKEN).toBe(CREDENTIAL);
  });

  it('refuses a digest, which could not be presented', () => {
    expect(issuesOf(shape, { MLRUN_X_TOKEN: credentialDigest(CREDENTIAL) })).toEqual([
      {
        variable: 'MLRUN_X_TOKEN',
        message: expect.stringContaining('set the credential itself'),
      },
    ]);
  });

  it('refuses a short credential without echoing it', () => {
    const [issue] = issuesOf(shape, { MLRUN_X_TOKEN: 'short-secret' });
    expect(issue?.message).toContain('at least 32 characters');
    expect(issue?.message).not.toContain('short-secret');
  });
});

describe(checkedCredentialVar.name, () => {
  const shape = { MLRUN_X_TOKEN: checkedCredentialVar() };

  it('takes the credential or its digest, and is redacted either way', () => {
    const digest = credentialDigest(CREDENTIAL);
    for (const value of [CREDENTIAL, digest]) {
      const config = loadConfig(shape, { MLRUN_X_TOKEN: value });
      expect(config.MLRUN_X_TOKEN).toBe(value);
      expect(redactConfig(shape, config)['MLRUN_X_TOKEN']).toBe('[redacted]');
    }
  });

  it('refuses a value that is neither', () => {
    expect(issuesOf(shape, { MLRUN_X_TOKEN: 'sha256:abc' })[0]?.message).toContain(
      'sha256:<64 hex digits>',
    );
  });
});

describe(retiredServiceTokenVar.name, () => {
  it('fails start when MLRUN_SERVICE_TOKEN is still set, naming what replaces it', () => {
    const issues = issuesOf(serverConfigShape, { MLRUN_SERVICE_TOKEN: CREDENTIAL });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.variable).toBe('MLRUN_SERVICE_TOKEN');
    for (const name of [
      'MLRUN_INTROSPECTION_TOKEN',
      'MLRUN_ROUTE_TABLE_TOKEN',
      'MLRUN_REGISTRY_READ_TOKEN',
      'MLRUN_METRICS_TOKEN',
    ]) {
      expect(issues[0]?.message).toContain(name);
    }
    expect(issues[0]?.message).not.toContain(CREDENTIAL);
  });

  it('is no trouble when unset', () => {
    expect(loadConfig(serverConfigShape, {}).MLRUN_METRICS_TOKEN).toBeUndefined();
  });
});
