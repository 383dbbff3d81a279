import type { DeploymentRecord, ModelRecord, ModelVersionRecord } from '@ml-run/registry-contract';

import { deploymentPath, deploymentRequest, versionActions } from './version-actions';

function version(v: string, state: ModelVersionRecord['state'] = 'built'): ModelVersionRecord {
  return {
    name: 'iris',
    version: v,
    codeVersion: v.split('+')[0],
    coefficientsDigest: 'sha256:00',
    runtime: 'python',
    bundleSha256: '00',
    bundleBytes: 1,
    defaultReplicas: 2,
    uploadedBy: 'ada',
    uploadedAt: '2026-12-06T00:00:00.000Z',
    buildId: `b-${v}`,
    state,
  };
}

function deployment(v: string, state: DeploymentRecord['state'] = 'ready'): DeploymentRecord {
  return {
    name: 'iris',
    version: v,
    target: 'process',
    replicas: 2,
    state,
    replicaStatus: [],
    updatedAt: '2026-12-06T00:00:00.000Z',
  };
}

function model(overrides: Partial<ModelRecord>): ModelRecord {
  return {
    name: 'iris',
    versions: [version('1.0.0+a'), version('1.1.0+b'), version('1.2.0+c', 'building')],
    aliases: {},
    deployments: [],
    ...overrides,
  };
}

describe(versionActions.name, () => {
  it('deploys a built version that is not deployed', () => {
    expect(versionActions(model({}), '1.0.0+a')).toMatchObject({
      canDeploy: true,
      canScale: false,
      canUndeploy: false,
      canMakeStable: true,
    });
  });

  it('scales and undeploys a deployed one; a removed deployment counts as none', () => {
    const deployed = model({
      deployments: [deployment('1.0.0+a'), deployment('1.1.0+b', 'removed')],
    });
    expect(versionActions(deployed, '1.0.0+a')).toMatchObject({ canDeploy: false, canScale: true });
    expect(versionActions(deployed, '1.1.0+b')).toMatchObject({ canDeploy: true, canScale: false });
  });

  it('knows when stable sends everything to it (undeploy needs force)', () => {
    const stable = model({
      aliases: { stable: { versions: [{ version: '1.0.0+a', weight: 100 }] } },
      deployments: [deployment('1.0.0+a')],
    });
    expect(versionActions(stable, '1.0.0+a')).toMatchObject({
      soleStable: true,
      canMakeStable: false,
    });
  });

  it('neither deploys nor makes stable a version still building', () => {
    expect(versionActions(model({}), '1.2.0+c')).toMatchObject({
      built: false,
      canDeploy: false,
      canMakeStable: false,
    });
  });
});

describe(deploymentRequest.name, () => {
  it("leaves the target out for the builder's default", () => {
    expect(deploymentRequest(2, '')).toEqual({ replicas: 2 });
    expect(deploymentRequest(3, 'swarm')).toEqual({ target: 'swarm', replicas: 3 });
  });
});

describe(deploymentPath.name, () => {
  it('escapes the version and adds force', () => {
    expect(deploymentPath('iris', '1.0.0+a', true)).toBe(
      '/v1/models/iris/versions/1.0.0+a/deployment?force=true',
    );
  });
});
