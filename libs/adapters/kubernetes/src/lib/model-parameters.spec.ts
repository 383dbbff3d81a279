import type { DeploymentSpec } from '@ml-run/deployer';

import { instanceNameOf, versionLabelOf } from './model-names';
import { modelParameters } from './model-parameters';

const spec = (extra: Partial<DeploymentSpec> = {}): DeploymentSpec & { image: string } => ({
  name: 'iris',
  version: '1.0.0+6526c66fa490',
  modelDir: '/unused',
  replicas: 3,
  env: { MLRUN_AUTH_MODE: 'disabled', MLRUN_INTROSPECTION_TOKEN: 'secret-credential' },
  readyTimeoutMs: 1_000,
  image: `127.0.0.1:5000/ml-run/iris@sha256:${'a'.repeat(64)}`,
  resources: { cpu: '250m', memory: '256Mi' },
  ...extra,
});

describe('instanceNameOf', () => {
  it('is a DNS label of at most 63 characters, even for the longest model name', () => {
    const name = instanceNameOf('default', 'm'.repeat(63), '1.0.0+6526c66fa490');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('differs by installation and by version, and is stable', () => {
    const one = instanceNameOf('default', 'iris', '1.0.0');
    expect(instanceNameOf('default', 'iris', '1.0.0')).toBe(one);
    expect(instanceNameOf('other', 'iris', '1.0.0')).not.toBe(one);
    expect(instanceNameOf('default', 'iris', '1.0.1')).not.toBe(one);
  });
});

describe('versionLabelOf', () => {
  it.each([
    ['1.0.0+6526c66fa490', '1.0.0_6526c66fa490'],
    ['+x+', 'x'],
    [`1.${'9'.repeat(80)}`, `1.${'9'.repeat(61)}`],
  ])('%s is the label value %s', (version, label) => {
    expect(versionLabelOf(version)).toBe(label);
  });
});

describe(modelParameters.name, () => {
  const settings = { installation: 'default', wrapperPort: 9000 };

  it('sets requests to the limits (the manifest resources) and no GPU by default', () => {
    expect(modelParameters(spec(), settings)).toMatchObject({
      NAME: 'iris',
      VERSION: '1.0.0+6526c66fa490',
      VERSION_LABEL: '1.0.0_6526c66fa490',
      REPLICAS: '3',
      CPU_REQUEST: '250m',
      CPU_LIMIT: '250m',
      MEMORY_REQUEST: '256Mi',
      MEMORY_LIMIT: '256Mi',
      GPU_COUNT: '0',
      PORT: '9000',
      IMAGE_PULL_SECRETS: '[]',
    });
  });

  it('passes the settings as a JSON object, and names the pull secret', () => {
    const parameters = modelParameters(spec({ resources: { cpu: '1', memory: '1Gi', gpu: 2 } }), {
      ...settings,
      pullSecretName: 'mlrun-default-pull',
    });
    const data = JSON.parse(parameters['ENV_DATA'] ?? '') as Record<string, string>;
    expect(
      Object.fromEntries(
        Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
      ),
    ).toEqual(spec().env);
    expect(JSON.parse(parameters['IMAGE_PULL_SECRETS'] ?? '')).toEqual([
      { name: 'mlrun-default-pull' },
    ]);
    expect(parameters['GPU_COUNT']).toBe('2');
  });

  it('changes ENV_DIGEST with the settings only, not with their order', () => {
    const digest = (env: Record<string, string>) =>
      modelParameters(spec({ env }), settings)['ENV_DIGEST'];
    expect(digest({ A: '1', B: '2' })).toBe(digest({ B: '2', A: '1' }));
    expect(digest({ A: '1', B: '2' })).not.toBe(digest({ A: '1', B: '3' }));
  });
});
