import type { ReplicaStatus } from '@ml-run/registry-contract';

import { checkReplicas, deploymentState } from './deployment-state';

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

  it('is not ready while fewer replicas than wanted are there', () => {
    expect(deploymentState('running', false, [replica('ready')], 2)).toBe('degraded');
    expect(deploymentState('running', true, [replica('ready')], 2)).toBe('deploying');
    expect(deploymentState('running', false, [replica('ready'), replica('ready')], 2)).toBe(
      'ready',
    );
    expect(deploymentState('running', false, [])).toBe('degraded');
  });

  it('says failed or removed once it is', () => {
    expect(deploymentState('failed', false, [replica('failed')])).toBe('failed');
    expect(deploymentState('removed', false, [replica('ready')])).toBe('removed');
  });
});

describe(checkReplicas.name, () => {
  it('refuses what is not a whole number from 1 to the maximum, saying the range', () => {
    expect(() => checkReplicas(3)).not.toThrow();
    expect(() => checkReplicas(0)).toThrow('replicas must be a whole number of at least 1, got 0');
    expect(() => checkReplicas(1.5)).toThrow('of at least 1, got 1.5');
    expect(() => checkReplicas(99, 99)).not.toThrow();
    expect(() => checkReplicas(100, 99)).toThrow(
      'replicas must be a whole number from 1 to 99, got 100',
    );
  });
});
