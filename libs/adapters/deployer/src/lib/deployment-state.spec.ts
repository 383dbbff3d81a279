import type { ReplicaStatus } from '@ml-run/registry-contract';

import { deploymentState } from './deployment-state';

const replica = (state: ReplicaStatus['state']): ReplicaStatus => ({
  id: 'iris-0',
  url: 'http://127.0.0.1:41000',
  state,
  restarts: 0,
});

describe(deploymentState.name, () => {
  it('is ready when every replica is, whatever the phase', () => {
    expect(deploymentState('deploying', false, [replica('ready'), replica('ready')])).toBe('ready');
    expect(deploymentState('running', true, [replica('ready')])).toBe('ready');
  });

  it('is deploying while a deploy or scale-up waits for replicas', () => {
    expect(deploymentState('deploying', false, [replica('ready'), replica('starting')])).toBe(
      'deploying',
    );
    expect(deploymentState('running', true, [replica('ready'), replica('starting')])).toBe(
      'deploying',
    );
  });

  it('is degraded when a running deployment has a replica that is not ready', () => {
    expect(deploymentState('running', false, [replica('ready'), replica('failed')])).toBe(
      'degraded',
    );
  });

  it('says failed or removed once it is', () => {
    expect(deploymentState('failed', false, [replica('failed')])).toBe('failed');
    expect(deploymentState('removed', false, [replica('ready')])).toBe('removed');
  });
});
