import type { V1Pod } from '@kubernetes/client-node';

import { DeployErrorCode } from '@ml-run/deployer';

import { IMAGE, pod, VERSION } from '../testing/pod-fixtures';
import {
  creationRefusal,
  failureNow,
  lastingPullFailures,
  pullFailure,
  readinessTimeout,
} from './deploy-failures';

describe('deploy failures', () => {
  const refused = (message: string) => ({
    status: {
      conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message }],
    },
  });

  it.each([
    [
      'pods "mlrun-iris-x-5d8f-abcde" is forbidden: exceeded quota: small, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1',
      DeployErrorCode.QuotaExceeded,
    ],
    [
      'pods "mlrun-iris-x-5d8f-abcde" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false',
      DeployErrorCode.PodSecurityRefused,
    ],
    ['serviceaccount "model" not found', DeployErrorCode.DeploymentFailed],
  ])('a ReplicaSet refusal "%s" is %s, quoting the cluster', (message, code) => {
    const error = creationRefusal(refused(message), VERSION);
    expect(error).toMatchObject({ code });
    expect(error?.message).toContain(message);
  });

  it('names the image a node cannot pull', () => {
    const pulling = pod('a', undefined, {
      state: {
        waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMAGE}"` },
      },
    });
    const error = pullFailure([pulling], IMAGE, VERSION);
    expect(error).toMatchObject({ code: DeployErrorCode.ImagePullFailed });
    expect(error?.message).toContain(IMAGE);
  });

  it('counts a failing pull once it outlasts the grace (the kubelet retried and failed again)', () => {
    const grace = { graceMs: 15_000, refusedGraceMs: 45_000 };
    const failing = (name: string) =>
      pod(name, undefined, {
        state: { waiting: { reason: 'ErrImagePull', message: 'manifest unknown: not found' } },
      });
    const firstSeen = new Map<string, number>();
    expect(lastingPullFailures([failing('a')], firstSeen, grace, 1_000)).toEqual(new Set());
    expect(lastingPullFailures([failing('a')], firstSeen, grace, 15_999)).toEqual(new Set());
    expect(lastingPullFailures([failing('a')], firstSeen, grace, 16_000)).toEqual(new Set(['a']));
    // Pulled in the meantime: forgotten; failing again later starts a new grace.
    expect(lastingPullFailures([pod('a', '10.214.0.5')], firstSeen, grace, 17_000)).toEqual(
      new Set(),
    );
    expect(lastingPullFailures([failing('a')], firstSeen, grace, 18_000)).toEqual(new Set());
  });

  it('gives a refused pull (401) the longer grace: the kubelet may pull once without the secret', () => {
    const grace = { graceMs: 15_000, refusedGraceMs: 45_000 };
    const refused = pod('a', undefined, {
      state: {
        waiting: {
          reason: 'ImagePullBackOff',
          message: 'failed to authorize: failed to fetch anonymous token: 401 Unauthorized',
        },
      },
    });
    const firstSeen = new Map<string, number>();
    expect(lastingPullFailures([refused], firstSeen, grace, 0)).toEqual(new Set());
    expect(lastingPullFailures([refused], firstSeen, grace, 30_000)).toEqual(new Set());
    expect(lastingPullFailures([refused], firstSeen, grace, 45_000)).toEqual(new Set(['a']));
  });

  it('leaves a pull failure to the grace, not to the replica failures', () => {
    const pulling = pod('a', undefined, {
      state: { waiting: { reason: 'ErrImagePull', message: '401 Unauthorized' } },
    });
    const state = { deployment: undefined, pods: [pulling] };
    const of = { ...VERSION, since: 0 };
    const initErrors = new Map<string, string>();
    expect(failureNow(state, { initErrors, pullFailed: new Set() }, IMAGE, of)).toBeUndefined();
    expect(failureNow(state, { initErrors, pullFailed: new Set(['a']) }, IMAGE, of)).toMatchObject({
      code: DeployErrorCode.ImagePullFailed,
    });
  });

  it('fails at the first exit of a replica started by this wait, not for older ones', () => {
    const since = Date.parse('2026-12-05T12:00:00Z');
    const exited = (name: string, created: string) => ({
      ...pod(name, '10.214.0.5', {
        restartCount: 1,
        state: { running: {} },
        lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
      }),
      // As the watch delivers it: a string.
      metadata: { name, creationTimestamp: created as unknown as Date },
    });
    const failure = (pods: V1Pod[]) =>
      failureNow(
        { deployment: undefined, pods },
        { initErrors: new Map(), pullFailed: new Set() },
        IMAGE,
        { ...VERSION, since },
      );

    expect(failure([exited('a', '2026-12-05T12:00:03Z')])).toMatchObject({
      code: DeployErrorCode.DeploymentFailed,
      message: 'iris 1.0.0 did not start: a: exited 137 (OOMKilled)',
    });
    expect(failure([exited('old', '2026-12-01T08:00:00Z')])).toBeUndefined();
    expect(failure([pod('b', '10.214.0.6')])).toBeUndefined();
  });

  it('says on timeout what the pods waited for', () => {
    const pending = {
      metadata: { name: 'a' },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/1 nodes are available: 1 Insufficient cpu.',
          },
        ],
      },
    } as V1Pod;
    expect(readinessTimeout([pending], 5_000, VERSION).message).toBe(
      'iris 1.0.0 was not ready within 5000 ms: a unschedulable: 0/1 nodes are available: 1 Insufficient cpu.',
    );
    expect(readinessTimeout([], 5_000, VERSION).message).toContain('no pod was created');
  });
});
