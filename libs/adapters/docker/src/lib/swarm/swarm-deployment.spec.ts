import type { ReplicaStatus } from '@ml-run/registry-contract';

import { SwarmDeployment } from './swarm-deployment';

const replica = (slot: number, state: ReplicaStatus['state']): ReplicaStatus => ({
  id: `mlrun-iris-abc.${slot}`,
  url: `http://127.0.0.1:${21_000 + slot}`,
  state,
  restarts: 0,
});

const deployment = (replicas: number) =>
  new SwarmDeployment({
    name: 'iris',
    version: '1.0.0+aaaaaaaaaaaa',
    serviceId: 'svc',
    serviceName: 'mlrun-iris-abc',
    base: 21_000,
    replicas,
    readyTimeoutMs: 1_000,
    phase: 'running',
    limits: { memoryBytes: 512 * 2 ** 20, notEnforced: [] },
  });

describe(SwarmDeployment.name, () => {
  it('reports the limits its replicas run under', () => {
    expect(deployment(1).record().limits).toEqual({ memoryBytes: 512 * 2 ** 20, notEnforced: [] });
  });

  it('is ready only once every wanted replica is there and ready', () => {
    const sut = deployment(2);
    sut.replicaStatus = [replica(1, 'ready')];
    expect(sut.record().state).toBe('degraded');
    expect(sut.allReady()).toBe(false);

    sut.growing = true;
    expect(sut.record().state).toBe('deploying');

    sut.replicaStatus = [replica(1, 'ready'), replica(2, 'ready')];
    expect(sut.record().state).toBe('ready');
    expect(sut.allReady()).toBe(true);
  });

  it('reports a removed deployment with its replicas stopped', () => {
    const sut = deployment(1);
    sut.replicaStatus = [replica(1, 'ready')];
    sut.phase = 'removed';
    expect(sut.record()).toMatchObject({
      state: 'removed',
      target: 'swarm',
      replicaStatus: [expect.objectContaining({ state: 'stopped' })],
    });
  });

  it('publishes a record only when it changed', () => {
    const sut = deployment(1);
    sut.replicaStatus = [replica(1, 'starting')];
    expect(sut.changed()).toMatchObject({ state: 'degraded' });
    expect(sut.changed()).toBeUndefined();

    sut.replicaStatus = [replica(1, 'ready')];
    const ready = sut.changed();
    expect(ready).toMatchObject({ state: 'ready' });
    expect(sut.record().updatedAt).toBe(ready?.updatedAt);
  });
});
