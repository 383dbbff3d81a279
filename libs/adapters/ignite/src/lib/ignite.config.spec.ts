import { ConfigError, loadConfig } from '@ml-run/config';

import { connectIgnitePool } from './connect-ignite-pool';
import { igniteConfigShape, igniteEndpointsOf, ignitePoolOptionsOf } from './ignite.config';

const load = (env: Record<string, string>) => loadConfig(igniteConfigShape, env);

describe('igniteConfigShape', () => {
  it('leaves Ignite off when MLRUN_IGNITE_ENDPOINTS is unset or empty', () => {
    expect(igniteEndpointsOf(load({}))).toBeUndefined();
    expect(igniteEndpointsOf(load({ MLRUN_IGNITE_ENDPOINTS: '' }))).toBeUndefined();
    expect(ignitePoolOptionsOf(load({}))).toBeUndefined();
  });

  it('splits a comma-separated host:port list', () => {
    const config = load({
      MLRUN_IGNITE_ENDPOINTS: '127.0.0.1:10800, ignite-2.svc:10801,[::1]:10800',
    });
    expect(igniteEndpointsOf(config)).toEqual([
      '127.0.0.1:10800',
      'ignite-2.svc:10801',
      '[::1]:10800',
    ]);
  });

  it('builds pool options with the defaults', () => {
    const config = load({ MLRUN_IGNITE_ENDPOINTS: 'ignite:10800' });
    expect(ignitePoolOptionsOf(config)).toEqual({
      endpoints: ['ignite:10800'],
      poolSize: 2,
      connectTimeoutMs: 5000,
      operationTimeoutMs: 5000,
    });
  });

  it.each(['ignite', 'ignite:', 'ignite:port', 'a:10800,,b:10800', 'ignite:70000', 'ignite:0'])(
    'rejects %p, naming the variable',
    (value) => {
      expect(() => load({ MLRUN_IGNITE_ENDPOINTS: value })).toThrow(ConfigError);
      expect(() => load({ MLRUN_IGNITE_ENDPOINTS: value })).toThrow(/MLRUN_IGNITE_ENDPOINTS/);
      // Said once, not once per rule the value breaks.
      expect(() => load({ MLRUN_IGNITE_ENDPOINTS: value })).toThrow(
        expect.objectContaining({
          issues: [expect.objectContaining({ variable: 'MLRUN_IGNITE_ENDPOINTS' })],
        }),
      );
    },
  );

  it('bounds the pool size and the timeout', () => {
    expect(() => load({ MLRUN_IGNITE_POOL_SIZE: '0' })).toThrow(/MLRUN_IGNITE_POOL_SIZE/);
    expect(() => load({ MLRUN_IGNITE_TIMEOUT_MS: '10' })).toThrow(/MLRUN_IGNITE_TIMEOUT_MS/);
  });
});

describe(connectIgnitePool.name, () => {
  it('gives no pool when MLRUN_IGNITE_ENDPOINTS is unset', async () => {
    expect(await connectIgnitePool(load({}))).toBeUndefined();
  });
});
