import { ConfigError, loadConfig } from '@ml-run/config';

import { connectIgnitePool } from './connect-ignite-pool';
import {
  igniteConfigShape,
  igniteEndpointsOf,
  ignitePoolOptionsOf,
  tokenMacConfigShape,
  tokenRecordMacOf,
} from './ignite.config';

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

  it('sends the platform login when both halves are set', () => {
    const config = load({
      MLRUN_IGNITE_ENDPOINTS: 'ignite:10800',
      MLRUN_IGNITE_USERNAME: 'ignite',
      MLRUN_IGNITE_PASSWORD: 'secret-password',
    });
    expect(ignitePoolOptionsOf(config)?.credentials).toEqual({
      userName: 'ignite',
      password: 'secret-password',
    });
  });

  it.each([
    [{ MLRUN_IGNITE_USERNAME: 'ignite' }, 'MLRUN_IGNITE_PASSWORD'],
    [{ MLRUN_IGNITE_PASSWORD: 'secret-password' }, 'MLRUN_IGNITE_USERNAME'],
  ])('refuses half a login, naming the missing half', (half, missing) => {
    const config = load({ MLRUN_IGNITE_ENDPOINTS: 'ignite:10800', ...half });
    expect(() => ignitePoolOptionsOf(config)).toThrow(new RegExp(missing));
    expect(() => ignitePoolOptionsOf(config)).not.toThrow(/secret-password/);
  });

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

describe(tokenRecordMacOf.name, () => {
  const loadMac = (env: Record<string, string>) => loadConfig(tokenMacConfigShape, env);

  it('fails start without MLRUN_TOKEN_MAC_KEY, naming it', () => {
    expect(() => tokenRecordMacOf(loadMac({}))).toThrow(/MLRUN_TOKEN_MAC_KEY must be set/);
  });

  it('refuses a key shorter than 32 characters without echoing it', () => {
    const short = 'short-mac-key-0123456789';
    expect(() => loadMac({ MLRUN_TOKEN_MAC_KEY: short })).toThrow(/MLRUN_TOKEN_MAC_KEY/);
    expect(() => loadMac({ MLRUN_TOKEN_MAC_KEY: short })).not.toThrow(new RegExp(short));
  });

  it('gives a MAC for a long enough key', () => {
    const mac = tokenRecordMacOf(loadMac({ MLRUN_TOKEN_MAC_KEY: 'k'.repeat(32) }));
    expect(mac.sign('h', { sub: 'a', scope: [], iat: 1, exp: 2 })).toMatch(/^[0-9a-f]{64}$/);
  });
});
