import { ConfigError, loadConfig, redactConfig } from '@ml-run/config';

import { tokenValidatorConfigShape } from './token-validator.config';

const SERVICE_TOKEN = 's'.repeat(32);

describe('tokenValidatorConfigShape', () => {
  it('defaults the port to 8092 and keeps the service token', () => {
    const sut = loadConfig(tokenValidatorConfigShape, { MLRUN_SERVICE_TOKEN: SERVICE_TOKEN });
    expect(sut.MLRUN_PORT).toBe(8092);
    expect(sut.MLRUN_SERVICE_TOKEN).toBe(SERVICE_TOKEN);
  });

  it('requires MLRUN_SERVICE_TOKEN', () => {
    expect(() => loadConfig(tokenValidatorConfigShape, {})).toThrow(
      'MLRUN_SERVICE_TOKEN is required but not set',
    );
  });

  it('refuses a service token shorter than 32 characters and says how to make one', () => {
    const load = () =>
      loadConfig(tokenValidatorConfigShape, { MLRUN_SERVICE_TOKEN: 's'.repeat(31) });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      'MLRUN_SERVICE_TOKEN must be at least 32 characters; generate one with `openssl rand -base64 32`',
    );
  });

  it('redacts the service token', () => {
    const config = loadConfig(tokenValidatorConfigShape, { MLRUN_SERVICE_TOKEN: SERVICE_TOKEN });
    expect(redactConfig(tokenValidatorConfigShape, config)['MLRUN_SERVICE_TOKEN']).toBe(
      '[redacted]',
    );
  });
});
