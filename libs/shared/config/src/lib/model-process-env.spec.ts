import { modelProcessEnv } from './model-process-env';

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
