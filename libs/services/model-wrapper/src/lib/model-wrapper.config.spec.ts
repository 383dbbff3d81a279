import { ConfigError, loadConfig } from '@ml-run/config';

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
});
