import { SANDBOX_PATHS } from '../worker/launch-plan';
import { pythonLaunch, type PythonLaunchInput } from './python-launch';

const remapping = { visiblePath: (bind: { target: string }) => bind.target };
const sameHost = { visiblePath: (bind: { source: string }) => bind.source };

const input: PythonLaunchInput = {
  python: 'python3',
  interpreter: {
    executable: '/root/.pyenv/versions/3.11.7/bin/python3.11',
    homes: ['/root/.pyenv/versions/3.11.7'],
    importDirs: ['/root/.local/lib/python3.11/site-packages'],
  },
  script: '/dist/apps/model-wrapper/mlrun_worker.py',
  modelDir: '/data/models/iris/1/bundle',
  coefficientsDir: '/data/models/iris/1/bundle/coefficients',
  modelEnv: { LOG_PREDICTIONS: 'false', PYTHONUNBUFFERED: '0' },
  launcher: remapping,
};

describe(pythonLaunch.name, () => {
  it('shows the bundle, script, interpreter and import dirs read-only, and tells the worker where', () => {
    const launch = pythonLaunch(input);
    expect(launch.modelDir).toBe('/model');
    expect(launch.coefficientsDir).toBe('/model/coefficients');
    expect(launch.spec.command).toBe('/root/.pyenv/versions/3.11.7/bin/python3.11');
    expect(launch.spec.args).toEqual(['-u', `${SANDBOX_PATHS.programs}/mlrun_worker.py`]);
    expect(launch.spec.readOnly).toEqual([
      { source: '/data/models/iris/1/bundle', target: '/model' },
      {
        source: '/dist/apps/model-wrapper/mlrun_worker.py',
        target: `${SANDBOX_PATHS.programs}/mlrun_worker.py`,
      },
      { source: '/root/.pyenv/versions/3.11.7', target: '/root/.pyenv/versions/3.11.7' },
      { source: '/root/.local/lib/python3.11/site-packages', target: '/opt/mlrun/python/0' },
    ]);
    expect(launch.spec.env['PYTHONPATH']).toBe('/opt/mlrun/python/0');
  });

  it('gives the worker the manifest env and the protocol settings, nothing of the wrapper', () => {
    process.env['MLRUN_INTROSPECTION_TOKEN'] = 'x'.repeat(40);
    try {
      const { env } = pythonLaunch(input).spec;
      expect(Object.keys(env).filter((key) => key.startsWith('MLRUN_'))).toEqual([]);
      expect(env).toMatchObject({ LOG_PREDICTIONS: 'false', PYTHONUNBUFFERED: '1' });
    } finally {
      delete process.env['MLRUN_INTROSPECTION_TOKEN'];
    }
  });

  it('binds coefficients outside the bundle on their own, and keeps host paths without a sandbox', () => {
    const outside = { ...input, coefficientsDir: '/data/coefficients/iris' };
    expect(pythonLaunch(outside).coefficientsDir).toBe(SANDBOX_PATHS.coefficients);
    const plain = pythonLaunch({ ...outside, launcher: sameHost });
    expect(plain.modelDir).toBe('/data/models/iris/1/bundle');
    expect(plain.coefficientsDir).toBe('/data/coefficients/iris');
  });
});
