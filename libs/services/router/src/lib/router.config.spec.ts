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
});
