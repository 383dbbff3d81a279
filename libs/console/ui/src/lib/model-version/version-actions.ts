import {
  DEFAULT_ALIAS,
  type DeploymentRecord,
  type DeploymentRequest,
  type DeployTarget,
  type ModelRecord,
  type ModelVersionRecord,
} from '@ml-run/registry-contract';

import { pathSegment } from '../api/path-segment';
import { isSoleStable } from './canary';

/** What the version page can do now, from the model's record. */
export type VersionActions = {
  version?: ModelVersionRecord;
  /** Its deployment, unless removed. */
  deployment?: DeploymentRecord;
  built: boolean;
  /** Stable sends all traffic to it: undeploying needs ?force=true. */
  soleStable: boolean;
  canDeploy: boolean;
  canScale: boolean;
  canUndeploy: boolean;
  canMakeStable: boolean;
};

export function versionActions(model: ModelRecord, version: string): VersionActions {
  const record = model.versions.find((entry) => entry.version === version);
  const deployment = model.deployments.find(
    (entry) => entry.version === version && entry.state !== 'removed',
  );
  const built = record?.state === 'built';
  const soleStable = isSoleStable(model.aliases[DEFAULT_ALIAS], version);
  return {
    version: record,
    deployment,
    built,
    soleStable,
    canDeploy: built && deployment === undefined,
    canScale: deployment !== undefined,
    canUndeploy: deployment !== undefined,
    canMakeStable: built && !soleStable,
  };
}

/** The deployment body: no target means the builder's default (MLRUN_DEFAULT_TARGET). */
export function deploymentRequest(replicas: number, target: DeployTarget | ''): DeploymentRequest {
  return target === '' ? { replicas } : { target, replicas };
}

/** The deployment route of a version (deploy, scale: POST; undeploy: DELETE). */
export function deploymentPath(name: string, version: string, force = false): string {
  const path = `/v1/models/${pathSegment(name)}/versions/${pathSegment(version)}/deployment`;
  return force ? `${path}?force=true` : path;
}
