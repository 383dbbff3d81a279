// A model version's replicas as the router needs them: one per live pod, ready when the
// Service's EndpointSlices list the pod's address as ready.
import type { V1EndpointSlice, V1Pod } from '@kubernetes/client-node';

import type { ReplicaStatus } from '@ml-run/registry-contract';

/** Reasons a container waits in that mean it will not start by itself. */
export const STUCK_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/** What was last seen of a version's pods and endpoints. */
export type ReplicaView = {
  pods: readonly V1Pod[];
  slices: readonly V1EndpointSlice[];
  /** Per pod name: the model's own init error, from the pod's /readyz (INIT_FAILED). */
  initErrors?: ReadonlyMap<string, string>;
};

/** Pods that serve or will: not being deleted, not finished. */
export function livePods(pods: readonly V1Pod[]): V1Pod[] {
  return pods
    .filter((pod) => !pod.metadata?.deletionTimestamp)
    .filter((pod) => pod.status?.phase !== 'Succeeded')
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** `http://<address>:<port>` of every ready endpoint, by the pod it belongs to. */
export function readyUrls(slices: readonly V1EndpointSlice[]): Map<string, string> {
  const urls = new Map<string, string>();
  for (const slice of slices) {
    const port = slice.ports?.find((each) => each.port !== undefined)?.port;
    if (port === undefined) continue;
    for (const endpoint of slice.endpoints ?? []) {
      const pod = endpoint.targetRef?.kind === 'Pod' ? endpoint.targetRef.name : undefined;
      const address = endpoint.addresses[0];
      if (!pod || !address || endpoint.conditions?.ready !== true) continue;
      urls.set(pod, `http://${address}:${port}`);
    }
  }
  return urls;
}

/** Why a pod's wrapper is stuck (image pull, crash loop), in the cluster's words. */
export function stuckReason(pod: V1Pod): string | undefined {
  if (pod.status?.phase === 'Failed')
    return `pod ${pod.status.reason ?? 'failed'}: ${pod.status.message ?? ''}`.trim();
  for (const container of pod.status?.containerStatuses ?? []) {
    const waiting = container.state?.waiting;
    if (!waiting?.reason || !STUCK_REASONS.has(waiting.reason)) continue;
    const last = container.lastState?.terminated;
    const ended = last
      ? `; last exit ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}${
          last.message ? `: ${lastLines(last.message)}` : ''
        }`
      : '';
    return `${waiting.reason}: ${waiting.message ?? ''}${ended}`.trim();
  }
  return undefined;
}

function restartsOf(pod: V1Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce(
    (sum, container) => sum + (container.restartCount ?? 0),
    0,
  );
}

/** One replica per live pod, in name order; the URL is the pod's until it is ready. */
export function replicaStatuses(view: ReplicaView, port: number): ReplicaStatus[] {
  const ready = readyUrls(view.slices);
  return livePods(view.pods).map((pod) => {
    const id = pod.metadata?.name ?? '';
    const readyUrl = ready.get(id);
    const podIp = pod.status?.podIP;
    const status = {
      id,
      url: readyUrl ?? (podIp ? `http://${podIp}:${port}` : ''),
      restarts: restartsOf(pod),
    };
    if (readyUrl) return { ...status, state: 'ready' as const };
    const error = view.initErrors?.get(id) ?? stuckReason(pod);
    if (error !== undefined) return { ...status, state: 'failed' as const, error };
    return { ...status, state: 'starting' as const };
  });
}

// A termination message falls back to the log's tail (up to 80 lines): the last few say why.
function lastLines(message: string, count = 5): string {
  return message.trim().split('\n').slice(-count).join(' | ');
}
