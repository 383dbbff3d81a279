import { ConfigError, loadConfig } from '@ml-run/config';

import { authorizationSettings } from './authorization/authorization-settings';
import { modelWrapperConfigShape } from './model-wrapper.config';

function load(env: Record<string, string>) {
  return loadConfig(modelWrapperConfigShape, { MLRUN_MODEL_DIR: '/models/iris', ...env });
}

function issues(env: Record<string, string>): unknown {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('modelWrapperConfigShape', () => {
  it.each(['MLRUN_IGNITE_ENDPOINTS', 'MLRUN_IGNITE_USERNAME', 'MLRUN_IGNITE_PASSWORD'])(
    "fails start with the platform's %s, naming the models' variable, never echoing it",
    (variable) => {
      const value = 'platform-ignite-secret-0123456789';
      expect(() => load({})).not.toThrow();
      const found = issues({ [variable]: value });
      expect(found).toEqual([
        { variable, message: expect.stringContaining('MLRUN_MODEL_IGNITE_ENDPOINTS') },
      ]);
      expect(JSON.stringify(found)).not.toContain(value);
    },
  );

  describe('MLRUN_MODEL_IGNITE_ENDPOINTS', () => {
    it('is optional: unset or empty means no Ignite', () => {
      expect(load({}).MLRUN_MODEL_IGNITE_ENDPOINTS).toBeUndefined();
      expect(
        load({ MLRUN_MODEL_IGNITE_ENDPOINTS: '' }).MLRUN_MODEL_IGNITE_ENDPOINTS,
      ).toBeUndefined();
    });

    it('splits a comma-separated host:port list', () => {
      const config = load({
        MLRUN_MODEL_IGNITE_ENDPOINTS: ' 127.0.0.1:10800 , ignite-1.svc:10801 ',
      });
      expect(config.MLRUN_MODEL_IGNITE_ENDPOINTS).toEqual([
        '127.0.0.1:10800',
        'ignite-1.svc:10801',
      ]);
    });

    it.each(['ignite', 'ignite:', ':10800', 'a:10800,', 'a:0', 'a:65536', 'a:1x', '[::1]:10800'])(
      'refuses %p and says what it expects',
      (value) => {
        expect(issues({ MLRUN_MODEL_IGNITE_ENDPOINTS: value })).toEqual([
          {
            variable: 'MLRUN_MODEL_IGNITE_ENDPOINTS',
            message: `must be a comma-separated list of host:port with ports 1-65535, e.g. 127.0.0.1:10800,ignite-1:10800 (got "${value}")`,
          },
        ]);
      },
    );
  });

  describe('MLRUN_L1_TTL and MLRUN_L1_NEGATIVE_TTL', () => {
    const l1Of = (env: Record<string, string>) => {
      const config = load({ MLRUN_INTROSPECTION_TOKEN: 'i'.repeat(32), ...env });
      return authorizationSettings(config, 'iris', { subscribe: () => () => undefined })?.l1;
    };

    it('default to 60 s and 2 s, in milliseconds', () => {
      expect(l1Of({})).toMatchObject({ ttlMs: 60_000, negativeTtlMs: 2_000 });
    });

    it('take sub-second durations, and bare numbers as seconds as before', () => {
      expect(l1Of({ MLRUN_L1_TTL: '250ms', MLRUN_L1_NEGATIVE_TTL: '0.1s' })).toMatchObject({
        ttlMs: 250,
        negativeTtlMs: 100,
      });
      expect(l1Of({ MLRUN_L1_TTL: '30', MLRUN_L1_NEGATIVE_TTL: '0' })).toMatchObject({
        ttlMs: 30_000,
        negativeTtlMs: 0,
      });
    });

    it.each([
      ['MLRUN_L1_TTL', '2d', '0s and 1d'],
      ['MLRUN_L1_TTL', '-1', '0s and 1d'],
      ['MLRUN_L1_NEGATIVE_TTL', '1 s', '0s and 1h'],
    ])('refuse %s=%s, saying what a duration looks like', (variable, value, range) => {
      expect(issues({ [variable]: value })).toEqual([
        {
          variable,
          message:
            'must be a duration such as 250ms, 1.5s, 2m or a whole number of seconds, ' +
            `between ${range} (got "${value}")`,
        },
      ]);
    });
  });
});
