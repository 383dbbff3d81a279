import type { DeploymentRecord, ReplicaState, VersionState } from '@ml-run/registry-contract';

type AnyState = VersionState | ReplicaState | DeploymentRecord['state'];

const COLORS: Record<AnyState, string> = {
  uploaded: 'gray',
  building: 'blue',
  built: 'green',
  build_failed: 'red',
  starting: 'blue',
  ready: 'green',
  failed: 'red',
  stopped: 'gray',
  deploying: 'blue',
  degraded: 'orange',
  removed: 'gray',
};

/** The badge color of a version, deployment or replica state (the text says it too). */
export function stateColor(state: string): string {
  return COLORS[state as AnyState] ?? 'gray';
}
