import { modelProcessEnv, modelWorkerEnv } from './model-process-env';

describe(modelProcessEnv.name, () => {
  it('keeps the environment but drops every MLRUN_ setting', () => {
    const sut = modelProcessEnv({
      PATH: '/usr/bin',
      MLRUN_INTROSPECTION_TOKEN: 's3cr3t',
      HOME: '/root',
    });
    expect(sut).toEqual({ PATH: '/usr/bin', HOME: '/root' });
  });
});

describe(modelWorkerEnv.name, () => {
  const wrapperEnv = {
    PATH: '/usr/bin',
    LANG: 'C.UTF-8',
    NODE_OPTIONS: '--max-old-space-size=512',
    MLRUN_INTROSPECTION_TOKEN: 's3cr3t-introspection',
    AWS_SECRET_ACCESS_KEY: 's3cr3t-aws',
  };

  it("keeps the manifest env and only PATH, the locale and NODE_ settings of the wrapper's", () => {
    const sut = modelWorkerEnv({ THRESHOLD: '0.5' }, wrapperEnv);
    expect(sut).toEqual({
      PATH: '/usr/bin',
      LANG: 'C.UTF-8',
      NODE_OPTIONS: '--max-old-space-size=512',
      THRESHOLD: '0.5',
    });
  });

  it('drops MLRUN_ settings that the manifest names too', () => {
    const sut = modelWorkerEnv({ MLRUN_OWN: 'x', PATH: '/opt/bin' }, wrapperEnv);
    expect(sut).toEqual({ PATH: '/opt/bin', LANG: 'C.UTF-8', NODE_OPTIONS: expect.any(String) });
  });
});
