// Why a model version's pods do not come up, as DeployErrors that say what to fix.
import type { V1ContainerStatus, V1Deployment, V1Pod } from '@kubernetes/client-node';

import { DeployError, DeployErrorCode } from '@ml-run/deployer';

import { livePods, stuckReason } from './replica-status';

type Version = { name: string; version: string };

const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName']);

function about(of: Version): string {
  return `${of.name} ${of.version}`;
}

/**
 * The ReplicaSet controller's refusal to create pods (copied into the Deployment's
 * ReplicaFailure condition): a quota, Pod Security admission, or another refusal.
 */
export function creationRefusal(deployment: V1Deployment | undefined, of: Version) {
  const condition = deployment?.status?.conditions?.find(
    (each) => each.type === 'ReplicaFailure' && each.status === 'True',
  );
  if (!condition) return undefined;
  const message = condition.message ?? condition.reason ?? 'FailedCreate';
  if (/exceeded quota/.test(message))
    return new DeployError(
      DeployErrorCode.QuotaExceeded,
      `${about(of)}: the namespace's ResourceQuota refused its pods; free quota, ask for fewer replicas or smaller resources (${message})`,
    );
  if (/violates PodSecurity/.test(message))
    return new DeployError(
      DeployErrorCode.PodSecurityRefused,
      `${about(of)}: the namespace's Pod Security admission refused its pods; the ml-run-model template must meet the namespace's level (${message})`,
    );
  return new DeployError(
    DeployErrorCode.DeploymentFailed,
    `${about(of)}: the cluster refused to create its pods: ${message}`,
  );
}

function pullWaiting(pod: V1Pod) {
  return (pod.status?.containerStatuses ?? []).find((container) =>
    PULL_REASONS.has(container.state?.waiting?.reason ?? ''),
  );
}

/** How long a failing pull is given before the deploy fails, by what the registry said. */
export type PullGrace = {
  /** Any failure, e.g. an image that does not exist (default 15000: past the kubelet's first retry). */
  graceMs: number;
  /**
   * A registry that refused the credentials (401/403). The kubelet fetches a pod's pull
   * secret through a watch it starts for that pod; when the watch is not in sync within a
   * second (a busy node), it pulls once without the secret, is refused, and retries with it
   * after its back-off (10 s, then 20 s). So a refusal lasts longer than a missing image.
   */
  refusedGraceMs: number;
};

const REFUSED = /\b(401|403)\b|unauthorized|forbidden|denied/i;

function graceOf(container: V1ContainerStatus, grace: PullGrace): number {
  return REFUSED.test(container.state?.waiting?.message ?? '')
    ? grace.refusedGraceMs
    : grace.graceMs;
}

/**
 * The pods whose image pull has kept failing for longer than its grace. `firstSeen` (pod
 * name to when its pull was first seen failing) is kept up to date across calls.
 */
export function lastingPullFailures(
  pods: readonly V1Pod[],
  firstSeen: Map<string, number>,
  grace: PullGrace,
  now = Date.now(),
): Set<string> {
  const failing = new Map<string, V1ContainerStatus>();
  for (const pod of livePods(pods)) {
    const container = pullWaiting(pod);
    if (container) failing.set(pod.metadata?.name ?? '', container);
  }
  for (const name of firstSeen.keys()) if (!failing.has(name)) firstSeen.delete(name);
  for (const name of failing.keys()) if (!firstSeen.has(name)) firstSeen.set(name, now);
  const lasting = [...failing].filter(
    ([name, container]) => now - (firstSeen.get(name) ?? now) >= graceOf(container, grace),
  );
  return new Set(lasting.map(([name]) => name));
}

/**
 * An image the nodes cannot pull, with the image named: `pods` are those whose pull kept
 * failing past the kubelet's first retry (a pod started a moment after its pull secret
 * may pull once without it, and then succeed).
 */
export function pullFailure(pods: readonly V1Pod[], image: string, of: Version) {
  for (const pod of livePods(pods)) {
    for (const container of pod.status?.containerStatuses ?? []) {
      const waiting = container.state?.waiting;
      if (!waiting?.reason || !PULL_REASONS.has(waiting.reason)) continue;
      return new DeployError(
        DeployErrorCode.ImagePullFailed,
        `${about(of)}: the nodes cannot pull ${container.image ?? image} (${waiting.reason}: ${waiting.message ?? 'no detail'}); check the image exists and the pull secret`,
      );
    }
  }
  return undefined;
}

/** A replica that crashed, whose init failed, or that cannot start: in its own words. */
export function replicaFailure(
  pods: readonly V1Pod[],
  initErrors: ReadonlyMap<string, string>,
  of: Version,
) {
  // Pull failures are pullFailure's, once they last.
  const reasons = livePods(pods).flatMap((pod) => {
    const name = pod.metadata?.name ?? '';
    if (pullWaiting(pod)) return [];
    const reason = initErrors.get(name) ?? stuckReason(pod) ?? crashed(pod);
    return reason === undefined ? [] : [`${name}: ${reason}`];
  });
  if (reasons.length === 0) return undefined;
  return new DeployError(
    DeployErrorCode.DeploymentFailed,
    `${about(of)} did not start: ${[...new Set(reasons)].join('; ')}`,
  );
}

// While a deploy waits, one exit is enough: the kubelet would only restart it with backoff.
function crashed(pod: V1Pod): string | undefined {
  for (const container of pod.status?.containerStatuses ?? []) {
    const last = container.lastState?.terminated;
    if (!last) continue;
    const message = last.message
      ? `: ${last.message.trim().split('\n').slice(-5).join(' | ')}`
      : '';
    return `exited ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}${message}`;
  }
  return undefined;
}

/** Not ready in time: what the pods were waiting for (unschedulable, not ready). */
export function readinessTimeout(pods: readonly V1Pod[], timeoutMs: number, of: Version) {
  const waits = livePods(pods).map((pod) => {
    const unscheduled = pod.status?.conditions?.find(
      (each) => each.type === 'PodScheduled' && each.status === 'False',
    );
    const state = unscheduled
      ? `unschedulable: ${unscheduled.message ?? unscheduled.reason ?? ''}`
      : `${pod.status?.phase ?? 'Pending'}, not ready`;
    return `${pod.metadata?.name ?? '?'} ${state}`;
  });
  const detail = waits.length > 0 ? `: ${waits.join('; ')}` : ': no pod was created';
  return new DeployError(
    DeployErrorCode.DeploymentFailed,
    `${about(of)} was not ready within ${timeoutMs} ms${detail}`,
  );
}

// The watch delivers timestamps as strings, a list as Dates: both parse.
function createdAt(pod: V1Pod): number {
  const stamp = pod.metadata?.creationTimestamp as Date | string | undefined;
  return stamp === undefined ? Number.POSITIVE_INFINITY : new Date(stamp).getTime();
}

/**
 * The first reason the wait must end now, or undefined to keep waiting. Only pods created
 * since `since` count (less a second: the apiserver stamps whole seconds): an old replica
 * that once restarted does not fail a scale-up.
 */
export function failureNow(
  state: { deployment: V1Deployment | undefined; pods: readonly V1Pod[] },
  known: { initErrors: ReadonlyMap<string, string>; pullFailed: ReadonlySet<string> },
  image: string,
  of: Version & { since: number },
): DeployError | undefined {
  const fresh = state.pods.filter((pod) => createdAt(pod) >= of.since - 1_000);
  const pullFailed = fresh.filter((pod) => known.pullFailed.has(pod.metadata?.name ?? ''));
  return (
    creationRefusal(state.deployment, of) ??
    pullFailure(pullFailed, image, of) ??
    replicaFailure(fresh, known.initErrors, of)
  );
}
