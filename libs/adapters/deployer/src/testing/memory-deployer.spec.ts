import type { DeploymentRecord } from '@ml-run/registry-contract';

import { DeployErrorCode } from '../lib/deploy.errors';
import type { DeploymentSpec } from '../lib/deployer.port';
import { nth } from './fake-processes';
import { MemoryDeployer } from './memory-deployer';

describe(MemoryDeployer.name, () => {
  let sut: MemoryDeployer;
  let records: DeploymentRecord[];

  const spec: DeploymentSpec = {
    name: 'iris',
    version: '1.0.0',
    modelDir: '/bundles/iris',
    replicas: 2,
    env: {},
    readyTimeoutMs: 30_000,
  };

  beforeEach(() => {
    sut = new MemoryDeployer();
    records = [];
    sut.onChange((record) => records.push(record));
  });

  it('deploys ready replicas on fake URLs, reporting deploying then ready', async () => {
    const record = await sut.deploy(spec);

    expect(record).toMatchObject({
      target: 'process',
      replicas: 2,
      state: 'ready',
      replicaStatus: [
        { id: 'iris-0', url: 'http://memory.invalid/iris/1.0.0/0/0', state: 'ready', restarts: 0 },
        { id: 'iris-1', url: 'http://memory.invalid/iris/1.0.0/1/0', state: 'ready', restarts: 0 },
      ],
    });
    expect(records.map((each) => each.state)).toEqual(['deploying', 'ready']);
    expect(sut.list()).toEqual([record]);
    expect(sut.deployed).toEqual([spec]);
  });

  it("fails the next deploy with the model's message, leaving nothing deployed", async () => {
    sut.failNext('Error: coefficients/weights.json not found');

    await expect(sut.deploy(spec)).rejects.toMatchObject({
      code: DeployErrorCode.DeploymentFailed,
      message:
        'iris 1.0.0 did not start: replica iris-0: Error: coefficients/weights.json not found',
    });
    expect(records.at(-1)).toMatchObject({ state: 'failed' });
    expect(sut.get('iris', '1.0.0')).toBeUndefined();
    expect((await sut.deploy(spec)).state).toBe('ready');
  });

  it('reports a crashed replica until it recovers on a new URL', async () => {
    await sut.deploy(spec);

    expect(sut.crash('iris', '1.0.0', 1)).toMatchObject({
      state: 'degraded',
      replicaStatus: [{ state: 'ready' }, { state: 'failed', error: 'was killed by SIGKILL' }],
    });
    const recovered = sut.recover('iris', '1.0.0', 1);

    expect(recovered.state).toBe('ready');
    expect(recovered.replicaStatus[1]).toEqual({
      id: 'iris-1',
      url: 'http://memory.invalid/iris/1.0.0/1/1',
      state: 'ready',
      restarts: 1,
    });
    expect(records.map((each) => each.state)).toEqual(['deploying', 'ready', 'degraded', 'ready']);
  });

  it('scales up and down, and fails a scale-up when told to', async () => {
    await sut.deploy(spec);

    expect((await sut.scale('iris', '1.0.0', 1)).replicaStatus.map((each) => each.id)).toEqual([
      'iris-0',
    ]);
    sut.failNext('Error: out of memory');
    await expect(sut.scale('iris', '1.0.0', 3)).rejects.toThrow(
      'replica iris-1: Error: out of memory',
    );
    expect(sut.get('iris', '1.0.0')?.replicas).toBe(1);
    expect((await sut.scale('iris', '1.0.0', 3)).replicaStatus).toHaveLength(3);
    await expect(sut.scale('iris', '9.9.9', 1)).rejects.toMatchObject({
      code: DeployErrorCode.DeploymentNotFound,
    });
  });

  it('reports removal on undeploy and close, then refuses deploys', async () => {
    await sut.deploy(spec);
    await sut.deploy({ ...spec, version: '2.0.0' });

    await sut.undeploy('iris', '1.0.0');
    await sut.close();

    expect(records.filter((each) => each.state === 'removed').map((each) => each.version)).toEqual([
      '1.0.0',
      '2.0.0',
    ]);
    expect(sut.list()).toEqual([]);
    await expect(sut.deploy(spec)).rejects.toMatchObject({ code: DeployErrorCode.DeployerClosed });
  });

  it('hands out copies, so callers cannot change its records', async () => {
    const record = await sut.deploy(spec);
    nth(record.replicaStatus, 0).state = 'failed';

    expect(sut.get('iris', '1.0.0')?.state).toBe('ready');
  });
});
