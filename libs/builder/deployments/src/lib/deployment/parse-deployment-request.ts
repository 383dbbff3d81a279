import { BuilderError, BuilderErrorCode } from '@ml-run/builder-registry';
import { isStreamTopicOf, streamTopicPrefixOf } from '@ml-run/prediction-contract';
import {
  DEPLOY_TARGETS,
  isDeployTarget,
  RegistryErrorCode,
  type DeploymentRequest,
  type DeploymentStream,
} from '@ml-run/registry-contract';

export const MAX_REPLICAS = 64;

/** The deployment request of model `name` in a body (none: all defaults), or what is wrong. */
export function parseDeploymentRequest(body: unknown, name: string): DeploymentRequest {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new BuilderError(
      BuilderErrorCode.InvalidRequest,
      'send a JSON object {"target"?: "process", "replicas"?: 2}, or no body for the defaults',
    );
  }
  const { target, replicas, stream } = body as Record<string, unknown>;
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
  if (stream !== undefined) request.stream = checkStream(stream, name);
  return request;
}

// Both topics inside the model's own namespace, where its Kafka principal may read and
// write: never a platform topic, never another model's.
export function checkStream(stream: unknown, name: string): DeploymentStream {
  const { from, to } = (typeof stream === 'object' && stream !== null ? stream : {}) as Record<
    string,
    unknown
  >;
  const inside = (topic: unknown): topic is string =>
    typeof topic === 'string' && isStreamTopicOf(name, topic);
  if (inside(from) && inside(to) && from !== to) return { from, to };
  const prefix = streamTopicPrefixOf(name);
  throw new BuilderError(
    RegistryErrorCode.InvalidStream,
    `stream must be {"from": "${prefix}<in>", "to": "${prefix}<out>"}: two different topics in ${name}'s own namespace ${prefix} (letters, digits, . _ -), got ${JSON.stringify(stream)}`,
  );
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
