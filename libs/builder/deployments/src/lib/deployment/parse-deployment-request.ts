import { BuilderError, BuilderErrorCode } from '@ml-run/builder-registry';
import {
  DEPLOY_TARGETS,
  isDeployTarget,
  RegistryErrorCode,
  type DeploymentRequest,
} from '@ml-run/registry-contract';

export const MAX_REPLICAS = 64;

/** The deployment request in a body (none means all defaults), or what is wrong with it. */
export function parseDeploymentRequest(body: unknown): DeploymentRequest {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new BuilderError(
      BuilderErrorCode.InvalidRequest,
      'send a JSON object {"target"?: "process", "replicas"?: 2}, or no body for the defaults',
    );
  }
  const { target, replicas } = body as Record<string, unknown>;
  const request: DeploymentRequest = {};
  if (target !== undefined) {
    if (!isDeployTarget(target)) {
      throw new BuilderError(
        RegistryErrorCode.TargetUnavailable,
        `target must be one of ${DEPLOY_TARGETS.join(', ')}, got ${JSON.stringify(target)}`,
      );
    }
    request.target = target;
  }
  if (replicas !== undefined) request.replicas = checkReplicas(replicas);
  return request;
}

export function checkReplicas(replicas: unknown): number {
  if (
    typeof replicas === 'number' &&
    Number.isInteger(replicas) &&
    replicas >= 1 &&
    replicas <= MAX_REPLICAS
  ) {
    return replicas;
  }
  throw new BuilderError(
    RegistryErrorCode.InvalidReplicas,
    `replicas must be a whole number from 1 to ${MAX_REPLICAS}, got ${JSON.stringify(replicas)}`,
  );
}
