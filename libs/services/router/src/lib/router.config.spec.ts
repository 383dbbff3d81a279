import { loadConfig } from '@ml-run/config';

import { routerConfigShape } from './router.config';

describe('routerConfigShape', () => {
  it('defaults to port 8080, the local builder and a 60 s upstream timeout', () => {
    const sut = loadConfig(routerConfigShape, {});
    expect(sut.MLRUN_PORT).toBe(8080);
    expect(sut.MLRUN_BUILDER_URL).toBe('http://127.0.0.1:8090');
    expect(sut.MLRUN_UPSTREAM_TIMEOUT_MS).toBe(60_000);
  });

  it('refuses a builder URL that is not http(s), naming the variable', () => {
    expect(() => loadConfig(routerConfigShape, { MLRUN_BUILDER_URL: 'builder:8090' })).toThrow(
      'MLRUN_BUILDER_URL must be an http(s) URL',
    );
  });

  it('refuses an upstream timeout under 100 ms', () => {
    expect(() => loadConfig(routerConfigShape, { MLRUN_UPSTREAM_TIMEOUT_MS: '10' })).toThrow(
      'MLRUN_UPSTREAM_TIMEOUT_MS must be an integer between 100 and 3600000',
    );
  });

  it('allows callbacks to loopback only by default, and refuses a bad range', () => {
    const sut = loadConfig(routerConfigShape, {});
    expect(sut.MLRUN_CALLBACK_ALLOWED_CIDRS.map((r) => `${r.address}/${r.prefix}`)).toEqual([
      '127.0.0.0/8',
      '::1/128',
    ]);
    expect(sut.MLRUN_CALLBACK_SECRET).toBeUndefined();
    expect(() =>
      loadConfig(routerConfigShape, { MLRUN_CALLBACK_ALLOWED_CIDRS: '127.0.0.0/8,example.com' }),
    ).toThrow(/MLRUN_CALLBACK_ALLOWED_CIDRS must be comma-separated IP addresses or CIDR ranges/);
  });

  it('refuses a callback secret shorter than 32 characters without echoing it', () => {
    expect(() => loadConfig(routerConfigShape, { MLRUN_CALLBACK_SECRET: 'short-secret' })).toThrow(
      /MLRUN_CALLBACK_SECRET must be at least 32 characters/,
    );
    expect(() =>
      loadConfig(routerConfigShape, { MLRUN_CALLBACK_SECRET: 'short-secret' }),
    ).not.toThrow(/short-secret/);
  });
});
