import { ConfigError, loadConfig, redactConfig } from '@ml-run/config';
import { credentialDigest } from '@ml-run/token-contract';

import { tokenValidatorConfigShape } from './token-validator.config';

const INTROSPECTION_TOKEN = 's'.repeat(32);

describe('tokenValidatorConfigShape', () => {
  it('defaults the port to 8092 and keeps the introspection credential', () => {
    const sut = loadConfig(tokenValidatorConfigShape, {
      MLRUN_INTROSPECTION_TOKEN: INTROSPECTION_TOKEN,
    });
    expect(sut.MLRUN_PORT).toBe(8092);
    expect(sut.MLRUN_INTROSPECTION_TOKEN).toBe(INTROSPECTION_TOKEN);
  });

  it('takes the digest of the introspection credential instead', () => {
    const digest = credentialDigest(INTROSPECTION_TOKEN);
    const sut = loadConfig(tokenValidatorConfigShape, { MLRUN_INTROSPECTION_TOKEN: digest });
    expect(sut.MLRUN_INTROSPECTION_TOKEN).toBe(digest);
  });

  it('requires MLRUN_INTROSPECTION_TOKEN', () => {
    expect(() => loadConfig(tokenValidatorConfigShape, {})).toThrow(
      'MLRUN_INTROSPECTION_TOKEN is required but not set',
    );
  });

  it('fails start on the retired MLRUN_SERVICE_TOKEN alone, naming the credential to set', () => {
    const load = () =>
      loadConfig(tokenValidatorConfigShape, { MLRUN_SERVICE_TOKEN: INTROSPECTION_TOKEN });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/MLRUN_SERVICE_TOKEN is no longer read: .*MLRUN_INTROSPECTION_TOKEN/);
  });

  it('refuses a credential shorter than 32 characters and says how to make one', () => {
    const load = () =>
      loadConfig(tokenValidatorConfigShape, { MLRUN_INTROSPECTION_TOKEN: 's'.repeat(31) });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      'MLRUN_INTROSPECTION_TOKEN must be at least 32 characters (generate one with `openssl rand -base64 32`)',
    );
  });

  it('redacts the credentials', () => {
    const config = loadConfig(tokenValidatorConfigShape, {
      MLRUN_INTROSPECTION_TOKEN: INTROSPECTION_TOKEN,
      MLRUN_METRICS_TOKEN: INTROSPECTION_TOKEN.replace(/s/g, 'm'),
    });
    const redacted = redactConfig(tokenValidatorConfigShape, config);
    expect(redacted['MLRUN_INTROSPECTION_TOKEN']).toBe('[redacted]');
    expect(redacted['MLRUN_METRICS_TOKEN']).toBe('[redacted]');
  });
});
